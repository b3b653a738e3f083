package dev.talkback.notification.delivery;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable outbox: the Kafka listener only <em>records</em> what must be sent, one document per delivery whose
 * id is the {@link DeliveryKey}; the {@link Dispatcher} sends. Recording is a single insert: a second insert of the
 * same key (redelivered event, another instance, a re-approval) fails on the unique {@code _id} and is ignored,
 * so each delivery exists once, whatever happens to the event.
 * <p>
 * Called on Kafka listener threads, which may block; the reactive template is awaited with
 * {@code notification.timeouts.store}.
 */
@Component
public class Outbox {

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;
    private final Clock clock;
    private final TraceCarrier traces;

    @Autowired
    Outbox(ReactiveMongoTemplate mongo, NotificationProperties properties, TraceCarrier traces) {
        this(mongo, properties.timeouts().store(), Clock.systemUTC(), traces);
    }

    Outbox(ReactiveMongoTemplate mongo, Duration timeout, Clock clock) {
        this(mongo, timeout, clock, TraceCarrier.none());
    }

    Outbox(ReactiveMongoTemplate mongo, Duration timeout, Clock clock, TraceCarrier traces) {
        this.mongo = mongo;
        this.timeout = timeout;
        this.clock = clock;
        this.traces = traces;
    }

    @Bean
    static CollectionIndexes outboxIndexes() {
        return CollectionIndexes.on(
                OutboxEntry.class,
                // What the dispatcher's claims ask (an equality on status, then channel, then the due time); status
                // first, so that the embedded store of the local stack, which indexes the first field only, serves
                // them.
                new Index()
                        .on("status", Sort.Direction.ASC)
                        .on("channel", Sort.Direction.ASC)
                        .on("nextAttemptAt", Sort.Direction.ASC),
                // What a confirmation releases: the mails waiting for one address.
                new Index().on("mail.recipientHash", Sort.Direction.ASC));
    }

    /**
     * Records a mail; {@code false} when this delivery was recorded before (nothing changes then).
     */
    public boolean recordMail(DeliveryKey key, UUID eventId, MailPayload mail) {
        return record(key, eventId, mail, null, null);
    }

    /**
     * Records a mail that waits for its recipient to confirm the address: due only at {@code until} (when the
     * confirmation link has expired, and the dispatcher cancels it as unconfirmed), unless
     * {@link #releaseAwaitingConfirmation} makes it due earlier. {@code false} when it was recorded before.
     */
    public boolean recordMailAwaitingConfirmation(DeliveryKey key, UUID eventId, MailPayload mail, Instant until) {
        return record(key, eventId, mail, null, until);
    }

    /** Makes the mails that wait for this address's confirmation due now; emits how many. */
    public Mono<Long> releaseAwaitingConfirmation(String recipientHash) {
        Instant now = clock.instant();
        return mongo.updateMulti(
                        query(where("status")
                                .is(DeliveryStatus.PENDING.name())
                                .and("channel")
                                .is(Channel.MAIL.name())
                                .and("mail.recipientHash")
                                .is(recipientHash)
                                .and("mail.requiresConfirmation")
                                .is(true)
                                .and("nextAttemptAt")
                                .gt(now)),
                        new Update().set("nextAttemptAt", now),
                        OutboxEntry.class)
                .map(result -> result.getModifiedCount());
    }

    /** Blocking {@link #releaseAwaitingConfirmation} (listener threads). */
    public long releaseAwaitingConfirmationNow(String recipientHash) {
        Long released = releaseAwaitingConfirmation(recipientHash).block(timeout);
        return released == null ? 0 : released;
    }

    /**
     * Records a webhook call; {@code false} when this delivery was recorded before.
     */
    public boolean recordWebhook(DeliveryKey key, UUID eventId, WebhookPayload webhook) {
        return record(key, eventId, null, webhook, null);
    }

    private boolean record(
            DeliveryKey key,
            UUID eventId,
            @Nullable MailPayload mail,
            @Nullable WebhookPayload webhook,
            @Nullable Instant dueAt) {
        Instant now = clock.instant();
        try {
            mongo.insert(new OutboxEntry(
                            key.id(),
                            key.kind(),
                            key.channel(),
                            key.commentId(),
                            eventId.toString(),
                            DeliveryStatus.PENDING,
                            0,
                            now,
                            dueAt == null ? now : dueAt,
                            null,
                            null,
                            null,
                            null,
                            mail,
                            webhook,
                            traces.current()))
                    .block(timeout);
            return true;
        } catch (DuplicateKeyException alreadyRecorded) {
            return false;
        }
    }

    /** Status of a delivery, for tests and operations. */
    public @Nullable String statusOf(DeliveryKey key) {
        OutboxEntry entry = mongo.findById(key.id(), OutboxEntry.class).block(timeout);
        return entry == null ? null : entry.status().name();
    }

    /** The deliveries of a channel, optionally in one status, newest first, at most {@code limit}. */
    public Flux<OutboxEntry> list(Channel channel, @Nullable DeliveryStatus status, int limit) {
        Query query = query(where("channel").is(channel.name()));
        if (status != null) {
            query.addCriteria(where("status").is(status.name()));
        }
        return mongo.find(query.with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(limit), OutboxEntry.class);
    }

    /**
     * Makes a failed delivery of a channel due again now, with a fresh attempt count; empty when there is no such
     * failed delivery.
     */
    public Mono<OutboxEntry> redrive(Channel channel, String id) {
        return mongo.findAndModify(
                query(where("_id")
                        .is(id)
                        .and("channel")
                        .is(channel.name())
                        .and("status")
                        .is(DeliveryStatus.FAILED.name())),
                new Update()
                        .set("status", DeliveryStatus.PENDING.name())
                        .set("attempts", 0)
                        .set("nextAttemptAt", clock.instant())
                        .unset("leaseUntil")
                        .unset("leaseToken"),
                org.springframework.data.mongodb.core.FindAndModifyOptions.options()
                        .returnNew(true),
                OutboxEntry.class);
    }

    /** A delivery by id, for operations. */
    public Mono<OutboxEntry> find(String id) {
        return mongo.findById(id, OutboxEntry.class);
    }
}
