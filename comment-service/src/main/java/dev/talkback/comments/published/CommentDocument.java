package dev.talkback.comments.published;

import dev.talkback.events.CommentModerated;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One comment of the read model, keyed by comment id. Holds what readers may see and never an email address.
 *
 * @param revision    the revision of the last applied {@code CommentModerated}
 * @param publishedAt when it was first approved, or {@code null} if it never was
 * @param changedAt   when this instance of the read model last applied a decision to it (the order of the live
 *                    stream and the position a resumed stream replays from)
 * @param statement   the statement of reasons of the last decision when it rejected the comment, for its author
 * @param appealedAt  when its author asked for a human review of a rejection, or {@code null}: once per comment
 * @param appealedRevision the revision of the decision the author contested; a higher {@code revision} is the review's
 *                    outcome; {@code null} without an appeal (or one asked for before the revision was kept)
 */
@Document(CommentDocument.COLLECTION)
record CommentDocument(
        @Id String id,
        String articleId,
        @Nullable String parentId,
        String authorName,
        @Nullable String website,
        String text,
        @Nullable Instant submittedAt,
        CommentStatus status,
        @Nullable String publicReason,
        int revision,
        @Nullable Instant publishedAt,
        @Nullable Instant changedAt,
        CommentModerated.@Nullable Statement statement,
        @Nullable Instant appealedAt,
        @Nullable Integer appealedRevision) {

    static final String COLLECTION = "comments";
}
