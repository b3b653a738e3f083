package dev.talkback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A person who proved they read the mail of an address asked to erase what is held about it (GDPR Art. 17).
 * notification-service publishes it; every service applies it idempotently to what it holds by that address (a
 * redelivered or repeated erasure finds nothing more to erase). moderation-service erases the comments and publishes
 * their new revision as {@link CommentModerated} with the rule {@value #ERASED_RULE}, which is how the read model
 * learns of it.
 *
 * @param eventId    unique id of this event; a redelivered event keeps its id
 * @param occurredAt when the person asked
 * @param erasureId  the erasure; the record key
 * @param email      the address; never logged
 */
public record PrivacyErasure(UUID eventId, Instant occurredAt, UUID erasureId, String email) {

    /** The rule of the revision that erases a comment: authorless, without text, nothing personal in it. */
    public static final String ERASED_RULE = "privacy.erased";

    public PrivacyErasure {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(erasureId, "erasureId");
        Objects.requireNonNull(email, "email");
    }

    @Override
    public String toString() {
        return "PrivacyErasure[eventId=" + eventId + ", occurredAt=" + occurredAt + ", erasureId=" + erasureId + "]";
    }
}
