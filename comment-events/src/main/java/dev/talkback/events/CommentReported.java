package dev.talkback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A reader reported a published comment, or filed a notice that it is illegal (Digital Services Act, Art. 16).
 * comment-service has checked that the comment is published and that the report is well formed; moderation-service
 * decides what follows.
 *
 * @param eventId    unique id of this event; a redelivered event keeps its id
 * @param occurredAt when the report was received
 * @param reportId   id given by comment-service; the same report delivered twice counts once
 * @param commentId  the reported comment; the record key
 * @param articleId  the article the comment is under
 * @param reason     why the reader reports it
 * @param note       what the reader adds for the moderators (at most 1,000 characters), or {@code null}; never shown
 *                   to the comment's author
 * @param notice     for {@link Reason#ILLEGAL_CONTENT}, the notice's required elements; {@code null} otherwise
 * @param clientIp   the reader's IP address as seen by the intake, so that one reader reporting again counts once;
 *                   never shown
 */
public record CommentReported(
        UUID eventId,
        Instant occurredAt,
        String reportId,
        String commentId,
        String articleId,
        Reason reason,
        String note,
        Notice notice,
        String clientIp) {

    public CommentReported {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(articleId, "articleId");
        Objects.requireNonNull(reason, "reason");
    }

    /** The reasons a reader can pick; a new one is a new minor version that consumers must know first. */
    public enum Reason {
        SPAM,
        ABUSE,
        OFF_TOPIC,
        PERSONAL_INFORMATION,
        ILLEGAL_CONTENT,
        OTHER
    }

    /**
     * A notice of illegal content with the elements Art. 16(2) asks for (the comment's exact location is the event's
     * comment and article).
     *
     * @param explanation why the notifier considers the comment illegal
     * @param name        the notifier's name
     * @param email       the notifier's address, for the confirmation of receipt and the decision; never logged
     * @param goodFaith   the notifier's statement that the notice is accurate and complete, in good faith
     */
    public record Notice(String explanation, String name, String email, boolean goodFaith) {

        public Notice {
            Objects.requireNonNull(explanation, "explanation");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
        }

        @Override
        public String toString() {
            return "Notice[name=" + name + ", goodFaith=" + goodFaith + "]";
        }
    }
}
