package dev.talkback.comments.published;

import dev.talkback.comments.CommentIds;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The id of a stream event: {@code <changedAt epoch millis>-<comment id>}, the order of the read model's changes. A
 * client that reconnects with it as {@code Last-Event-ID} gets what changed after it.
 */
record StreamPosition(Instant changedAt, String commentId) {

    static StreamPosition of(CommentDocument doc) {
        return new StreamPosition(doc.changedAt() == null ? Instant.EPOCH : doc.changedAt(), doc.id());
    }

    String encode() {
        return changedAt.toEpochMilli() + "-" + commentId;
    }

    /** The position, or {@code null} when the value was not made by {@link #encode()} (the stream then starts fresh). */
    static @Nullable StreamPosition parse(@Nullable String value) {
        if (value == null || value.length() > 60) {
            return null;
        }
        int dash = value.indexOf('-');
        if (dash < 1) {
            return null;
        }
        try {
            long millis = Long.parseLong(value.substring(0, dash));
            String id = value.substring(dash + 1);
            return millis >= 0 && CommentIds.isWellFormed(id)
                    ? new StreamPosition(Instant.ofEpochMilli(millis), id)
                    : null;
        } catch (NumberFormatException ex) {
            return null;
        }
    }
}
