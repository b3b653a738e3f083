package dev.talkback.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.talkback.notification.NotificationProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

/**
 * Sends each delivery at most once in effect, with single-document atomic writes only:
 * <ol>
 *   <li>insert the delivery as {@code SENDING}; its key is the document id, so a second insert fails;</li>
 *   <li>if it already existed and is {@code SENT}, do nothing (redelivered event, or another event for the
 *       same comment such as a re-approval);</li>
 *   <li>otherwise send, then mark it {@code SENT} with the time.</li>
 * </ol>
 * A failed send leaves the delivery {@code SENDING} and propagates, so the Kafka error handler retries (or the
 * record is re-driven from the dead letters) and the mail goes out then. The one window for a duplicate is a
 * crash (or a lost MongoDB write) after the mail server accepted the mail and before {@code SENT} was stored.
 * <p>
 * Called on Kafka listener threads, which may block; the reactive template is awaited with
 * {@code notification.store-timeout}.
 */
@Component
public class DeliveryLedger {

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;
    private final Clock clock;

    @Autowired
    DeliveryLedger(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this(mongo, properties.storeTimeout(), Clock.systemUTC());
    }

    DeliveryLedger(ReactiveMongoTemplate mongo, Duration timeout, Clock clock) {
        this.mongo = mongo;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** What {@link #deliverOnce} did. */
    public enum Result {
        /** The delivery was sent now. */
        SENT,
        /** The delivery had been sent before; nothing was sent. */
        ALREADY_SENT
    }

    /**
     * Runs {@code send} unless the delivery was sent before, and records it as sent.
     *
     * @throws RuntimeException whatever {@code send} throws; the delivery then stays unsent
     */
    public Result deliverOnce(DeliveryKey key, UUID eventId, Runnable send) {
        Instant now = clock.instant();
        if (!claim(key, eventId, now)) {
            return Result.ALREADY_SENT;
        }
        send.run();
        mongo.updateFirst(query(where("_id").is(key.id())),
                        new Update().set("status", Delivery.Status.SENT.name()).set("sentAt", clock.instant()),
                        Delivery.class)
                .block(timeout);
        return Result.SENT;
    }

    /** {@code false} when the delivery is already sent; otherwise it is recorded as being sent. */
    private boolean claim(DeliveryKey key, UUID eventId, Instant now) {
        try {
            mongo.insert(new Delivery(key.id(), key.kind(), key.commentId(), eventId.toString(), Delivery.Status.SENDING, 1,
                    now, now, null)).block(timeout);
            return true;
        }
        catch (DuplicateKeyException alreadyRecorded) {
            Delivery existing = find(key);
            if (existing != null && existing.status() == Delivery.Status.SENT) {
                return false;
            }
            mongo.updateFirst(query(where("_id").is(key.id())),
                            new Update().inc("attempts", 1).set("lastAttemptAt", now), Delivery.class)
                    .block(timeout);
            return true;
        }
    }

    /** Status of a delivery, for tests and operations. */
    public @Nullable String statusOf(DeliveryKey key) {
        Delivery delivery = find(key);
        return delivery == null ? null : delivery.status().name();
    }

    private @Nullable Delivery find(DeliveryKey key) {
        return mongo.findById(key.id(), Delivery.class).block(timeout);
    }
}
