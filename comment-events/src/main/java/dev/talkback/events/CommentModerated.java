package dev.talkback.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A decision was taken on a comment, automatically or by a moderator. The latest decision of a comment (highest
 * {@code revision}) is the one that counts: an approved comment is shown to readers, any other outcome hides it.
 *
 * @param eventId      unique id of this event; a redelivered event keeps its id
 * @param occurredAt   when the decision was taken
 * @param commentId    the comment; the record key
 * @param articleId    the article the comment is under
 * @param revision     1 for the automatic decision, +1 for each later decision on the same comment; consumers
 *                     ignore an event whose revision is not higher than the one they applied
 * @param outcome      what was decided
 * @param human        whether a moderator decided
 * @param reasons      why, for moderators (stable rule id and a sentence)
 * @param publicReason a reason that may be shown to the author when rejected, or {@code null}
 * @param comment      what readers may see of the comment (no contact details)
 * @param contact      the author's contact, for notification-service only; never stored by the read model
 * @param statement    for an outcome that keeps the comment from readers (rejected), the statement of reasons its
 *                     author may read; added in a later minor version: {@code null} in older events and for other
 *                     outcomes
 */
public record CommentModerated(
        UUID eventId,
        Instant occurredAt,
        String commentId,
        String articleId,
        int revision,
        Outcome outcome,
        boolean human,
        List<Reason> reasons,
        String publicReason,
        PublicComment comment,
        AuthorContact contact,
        Statement statement) {

    public CommentModerated {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(articleId, "articleId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(comment, "comment");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** A decision without a statement of reasons (one that does not reject, or from before statements existed). */
    public CommentModerated(
            UUID eventId,
            Instant occurredAt,
            String commentId,
            String articleId,
            int revision,
            Outcome outcome,
            boolean human,
            List<Reason> reasons,
            String publicReason,
            PublicComment comment,
            AuthorContact contact) {
        this(
                eventId,
                occurredAt,
                commentId,
                articleId,
                revision,
                outcome,
                human,
                reasons,
                publicReason,
                comment,
                contact,
                null);
    }

    public enum Outcome {
        /** Visible to readers. */
        APPROVED,
        /** Never visible to readers. */
        REJECTED,
        /** Waiting for a moderator; not visible to readers. */
        HELD
    }

    /**
     * One reason for a decision.
     *
     * @param ruleId  stable id of the rule that fired, e.g. {@code links.too-many}
     * @param message a sentence a moderator understands
     */
    public record Reason(String ruleId, String message) {}

    /**
     * The part of a comment readers may see.
     *
     * @param parentId    the comment this one replies to, or {@code null}
     * @param authorName  display name
     * @param website     the author's website, or {@code null}
     * @param text        the text as written; rendering makes it safe
     * @param submittedAt when the reader posted it
     */
    public record PublicComment(String parentId, String authorName, String website, String text, Instant submittedAt) {}

    /**
     * How to reach the author; for notification-service alone.
     *
     * @param email         the author's address; never logged
     * @param notifyReplies   whether the author asked to hear about replies
     * @param notifyPublished whether the author asked to be told that the comment is published (or rejected);
     *                        added in a later minor version: an event without it reads as {@code false} (a
     *                        wrapper, so that a consumer failing on missing primitives still reads such an event);
     *                        never {@code null}
     */
    public record AuthorContact(String email, boolean notifyReplies, Boolean notifyPublished) {

        public AuthorContact {
            notifyPublished = Boolean.TRUE.equals(notifyPublished);
        }

        /** A contact who did not ask to hear about the decision (the form's default). */
        public AuthorContact(String email, boolean notifyReplies) {
            this(email, notifyReplies, false);
        }

        @Override
        public String toString() {
            return "AuthorContact[notifyReplies=" + notifyReplies + ", notifyPublished=" + notifyPublished + "]";
        }
    }

    /**
     * The statement of reasons for a decision that keeps a comment from readers (Digital Services Act, Art. 17), for
     * its author: made only of the decision's rules and the moderator's entries, never of other readers' words.
     *
     * @param facts              what the decision followed
     * @param automatedDetection whether automated means detected the content (the automatic moderation held or
     *                           rejected it), rather than a reader's report or a moderator's own review
     * @param automatedDecision  whether the decision itself was taken by automated means
     * @param ground             whether the comment is held to be illegal or incompatible with the site's terms
     * @param reference          the legal provision, or the clause of the terms, that the decision relies on
     * @param explanation        why, in a sentence or two the author can act on
     * @param redress            how the author can contest the decision
     */
    public record Statement(
            Facts facts,
            boolean automatedDetection,
            boolean automatedDecision,
            Ground ground,
            String reference,
            String explanation,
            String redress) {

        public Statement {
            Objects.requireNonNull(facts, "facts");
            Objects.requireNonNull(ground, "ground");
        }

        public enum Facts {
            /** The automatic moderation every comment goes through. */
            AUTOMATED_CHECK,
            /** A moderator's own review. */
            OWN_REVIEW,
            /** Readers' reports. */
            REPORT,
            /** A notice that the comment is illegal. */
            NOTICE
        }

        public enum Ground {
            /** Held to be illegal under the provision in {@code reference}. */
            LAW,
            /** Incompatible with the site's terms, the clause in {@code reference}. */
            TERMS
        }
    }
}
