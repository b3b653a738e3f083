package dev.talkback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The author of a rejected comment asked for a human review of the decision (Digital Services Act, Art. 20): once per
 * comment, within six months of the decision. comment-service has checked the author's status token.
 *
 * @param eventId     unique id of this event; a redelivered event keeps its id
 * @param occurredAt  when the author asked
 * @param commentId   the comment; the record key
 * @param articleId   the article the comment is under
 * @param revision    the revision of the decision the author contests
 * @param explanation what the author adds (at most 1,000 characters), or {@code null}
 */
public record CommentAppealed(
        UUID eventId, Instant occurredAt, String commentId, String articleId, int revision, String explanation) {

    public CommentAppealed {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(articleId, "articleId");
    }
}
