package dev.talkback.notification.delivery;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One delivery in collection {@code outbox}. The document id is the {@link DeliveryKey#id() delivery key}, which
 * makes it unique without a second index.
 *
 * @param id            the delivery key
 * @param kind          kind of notification
 * @param channel       mail or webhook
 * @param subject       what it is about (comment id, digest number)
 * @param eventId       the event that asked for it
 * @param status        where it stands
 * @param attempts      how many times it was claimed for sending
 * @param createdAt     when it was recorded
 * @param nextAttemptAt when it is due
 * @param leaseUntil    while {@code SENDING}: until when the claim holds
 * @param leaseToken    while {@code SENDING}: the claim's id; only its holder may record the outcome
 * @param sentAt        when it was accepted
 * @param lastError     the last failure (exception type or HTTP status; never an address)
 * @param mail          the mail, for the mail channel (removed once sent)
 * @param webhook       the call, for the webhook channel
 * @param traceparent   the W3C trace context it was recorded in, continued when it is sent (absent: a new trace)
 */
@Document("outbox")
public record OutboxEntry(
        @Id String id,
        String kind,
        Channel channel,
        String subject,
        String eventId,
        DeliveryStatus status,
        int attempts,
        Instant createdAt,
        Instant nextAttemptAt,
        @Nullable Instant leaseUntil,
        @Nullable String leaseToken,
        @Nullable Instant sentAt,
        @Nullable String lastError,
        @Nullable MailPayload mail,
        @Nullable WebhookPayload webhook,
        @Nullable String traceparent) {

    /** An entry recorded outside any trace. */
    OutboxEntry(
            String id,
            String kind,
            Channel channel,
            String subject,
            String eventId,
            DeliveryStatus status,
            int attempts,
            Instant createdAt,
            Instant nextAttemptAt,
            @Nullable Instant leaseUntil,
            @Nullable String leaseToken,
            @Nullable Instant sentAt,
            @Nullable String lastError,
            @Nullable MailPayload mail,
            @Nullable WebhookPayload webhook) {
        this(
                id,
                kind,
                channel,
                subject,
                eventId,
                status,
                attempts,
                createdAt,
                nextAttemptAt,
                leaseUntil,
                leaseToken,
                sentAt,
                lastError,
                mail,
                webhook,
                null);
    }
}
