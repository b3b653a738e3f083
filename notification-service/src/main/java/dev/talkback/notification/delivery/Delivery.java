package dev.talkback.notification.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One delivery in collection {@code deliveries}. The document id is the {@link DeliveryKey#id() delivery key},
 * which makes it unique without a second index. It holds no address: a retry takes the recipient from the
 * redelivered event again.
 *
 * @param id            the delivery key
 * @param kind          kind of notification
 * @param commentId     the comment it is about
 * @param eventId       the event that first asked for it
 * @param status        {@code SENDING} until the mail server accepted the mail, then {@code SENT}
 * @param attempts      how many times sending was started
 * @param createdAt     first attempt
 * @param lastAttemptAt latest attempt
 * @param sentAt        when the mail server accepted it, or {@code null}
 */
@Document("deliveries")
record Delivery(
        @Id String id,
        String kind,
        String commentId,
        String eventId,
        Status status,
        int attempts,
        Instant createdAt,
        Instant lastAttemptAt,
        @Nullable Instant sentAt) {

    enum Status {
        /** Claimed; sending started, possibly failed. A retry sends it. */
        SENDING,
        /** Accepted by the mail server; never sent again. */
        SENT
    }
}
