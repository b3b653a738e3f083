package dev.talkback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A person who proved they read the mail of an address asked for everything held about it (GDPR Art. 15).
 * notification-service publishes it; every service holding data by address answers with {@link PrivacyExportPart}s.
 *
 * @param eventId    unique id of this event; a redelivered event keeps its id
 * @param occurredAt when the person asked
 * @param exportId   the export the parts belong to; the record key
 * @param email      the address; never logged
 */
public record PrivacyExportRequested(UUID eventId, Instant occurredAt, UUID exportId, String email) {

    public PrivacyExportRequested {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(email, "email");
    }

    @Override
    public String toString() {
        return "PrivacyExportRequested[eventId=" + eventId + ", occurredAt=" + occurredAt + ", exportId=" + exportId
                + "]";
    }
}
