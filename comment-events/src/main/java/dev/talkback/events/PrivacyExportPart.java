package dev.talkback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One part of a service's answer to a {@link PrivacyExportRequested}: a JSON array of records held about the address.
 * A service splits a long answer into parts numbered from 0 so that no record exceeds the broker's message size; the
 * last part says so, and a service holding nothing sends one empty last part.
 *
 * @param eventId    unique id of this event; a redelivered event keeps its id
 * @param occurredAt when the part was written
 * @param exportId   the export; the record key
 * @param service    the service answering, e.g. {@code moderation-service}
 * @param part       its number, from 0
 * @param last       whether it is the service's last part
 * @param records    a JSON array (as text) of the records of this part, at most 256 KiB
 */
public record PrivacyExportPart(
        UUID eventId, Instant occurredAt, UUID exportId, String service, int part, boolean last, String records) {

    public PrivacyExportPart {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(records, "records");
    }

    @Override
    public String toString() {
        return "PrivacyExportPart[exportId=" + exportId + ", service=" + service + ", part=" + part + ", last=" + last
                + ", " + records.length() + " chars]";
    }
}
