package dev.talkback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A reader submitted a comment; comment-service has validated it and given it an id. Nothing has been decided yet.
 *
 * @param eventId     unique id of this event
 * @param occurredAt  when the comment was received
 * @param commentId   id given by comment-service; the record key
 * @param articleId   the article the comment is under
 * @param parentId    the published comment this one replies to, or {@code null}
 * @param author      who wrote it, with the contact details readers never see
 * @param text        the text exactly as the author wrote it (trimmed); rendering makes it safe
 * @param clientIp    the reader's IP address as seen by the intake (after a trusted proxy header)
 * @param userAgent   the reader's User-Agent, or {@code null}
 */
public record CommentSubmitted(
        UUID eventId,
        Instant occurredAt,
        String commentId,
        String articleId,
        String parentId,
        Author author,
        String text,
        String clientIp,
        String userAgent) {

    public CommentSubmitted {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(articleId, "articleId");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
    }

    /**
     * The commenter as they filled in the form.
     *
     * @param name          display name
     * @param email         contact address; never shown to readers, never logged
     * @param website       http(s) URL or {@code null}
     * @param notifyReplies   whether they asked to be told about replies
     * @param notifyPublished whether they asked to be told when the comment is published (or rejected); added in
     *                        a later minor version: an event without it reads as {@code false} (a wrapper, so that
     *                        a consumer failing on missing primitives still reads such an event); never {@code null}
     */
    public record Author(String name, String email, String website, boolean notifyReplies, Boolean notifyPublished) {

        public Author {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
            notifyPublished = Boolean.TRUE.equals(notifyPublished);
        }

        /** An author who did not ask to hear about the decision (the form's default). */
        public Author(String name, String email, String website, boolean notifyReplies) {
            this(name, email, website, notifyReplies, false);
        }

        @Override
        public String toString() {
            return "Author[name=" + name + ", website=" + website + ", notifyReplies=" + notifyReplies
                    + ", notifyPublished=" + notifyPublished + "]";
        }
    }
}
