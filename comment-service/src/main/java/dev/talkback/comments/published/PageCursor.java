package dev.talkback.comments.published;

import java.time.Instant;
import java.util.Comparator;

/**
 * A position in an ordered list of published comments: the publication time and id (the sort key) of the last comment
 * a client was given. Top-level comments and the replies of a thread are both ordered this way. Clients only ever see
 * it signed ({@link PageCursors}).
 */
record PageCursor(Instant publishedAt, String id) {

    /** Before every comment: where a thread's replies start. */
    static final PageCursor START = new PageCursor(Instant.EPOCH, "00000000000000000000000000");

    /** Oldest first, then by id: the order of pages and of a thread's replies. */
    static final Comparator<CommentDocument> ORDER = Comparator.comparing(
                    CommentDocument::publishedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(CommentDocument::id);

    static PageCursor of(CommentDocument doc) {
        return new PageCursor(doc.publishedAt() == null ? Instant.EPOCH : doc.publishedAt(), doc.id());
    }

    /** Whether the comment comes after this position. */
    boolean isBefore(CommentDocument doc) {
        Instant at = doc.publishedAt() == null ? Instant.EPOCH : doc.publishedAt();
        int byTime = at.compareTo(publishedAt);
        return byTime > 0 || (byTime == 0 && doc.id().compareTo(id) > 0);
    }
}
