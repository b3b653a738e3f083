package dev.talkback.notification.delivery;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
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
 * <p>
 * As {@link PersonalData}: the mails to a person are theirs (exported without their bodies, erased with the
 * entries, whose keys name the address key); the mails to others and the webhook calls about the person's comments
 * (a reply notification quoting them, a digest listing them, a CloudEvent carrying them) keep their entry, so that
 * the delivery is still known as done and nothing is sent again, but lose their body, and are cancelled if not sent.
 */
@Component
public class Outbox implements PersonalData {

    /** Subjects per query when an erasure looks for the deliveries about a person's comments. */
    private static final int SUBJECTS_PER_QUERY = 100;

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
                // What a confirmation releases: the mails waiting for one address; and a person's mails, for
                // the privacy export and erasure.
                new Index().on("mail.recipientHash", Sort.Direction.ASC),
                // What an erasure blanks: the deliveries about a person's comments (a webhook's subject is
                // "commentId:revision", found by prefix).
                new Index().on("subject", Sort.Direction.ASC),
                // What the retention sweep removes (entries still due have no finishedAt).
                new Index().on("finishedAt", Sort.Direction.ASC).sparse());
    }

    /** Removes the deliveries that finished before the given time (sent, cancelled, failed); returns how many. */
    public long removeFinishedBefore(Instant cutoff) {
        var removed = mongo.remove(query(where("finishedAt").lt(cutoff)), OutboxEntry.class)
                .block(timeout);
        return removed == null ? 0 : removed.getDeletedCount();
    }

    /** Whether a delivery is recorded under this key. */
    public boolean exists(DeliveryKey key) {
        return Boolean.TRUE.equals(mongo.exists(query(where("_id").is(key.id())), OutboxEntry.class)
                .block(timeout));
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
                        .unset("finishedAt")
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

    @Override
    public String name() {
        return "outbox";
    }

    /** The mails to the person: what, about what, when, how it went; not their bodies. */
    @Override
    public List<Map<String, Object>> export(Person person) {
        List<OutboxEntry> entries = mongo.find(
                        query(where("mail.recipientHash").in(person.keys()))
                                .with(Sort.by(Sort.Direction.ASC, "createdAt")),
                        OutboxEntry.class)
                .collectList()
                .block(timeout);
        List<Map<String, Object>> records = new ArrayList<>();
        for (OutboxEntry entry : entries == null ? List.<OutboxEntry>of() : entries) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("kind", entry.kind());
            record.put("about", entry.subject());
            record.put("subject", entry.mail() == null ? null : entry.mail().subject());
            record.put("status", entry.status().name());
            record.put("createdAt", entry.createdAt().toString());
            record.put("sentAt", entry.sentAt() == null ? null : entry.sentAt().toString());
            records.add(record);
        }
        return records;
    }

    @Override
    public long erase(Person person) {
        var removed = mongo.remove(query(where("mail.recipientHash").in(person.keys())), OutboxEntry.class)
                .block(timeout);
        long changed = removed == null ? 0 : removed.getDeletedCount();
        List<String> subjects = new ArrayList<>(person.subjects());
        for (int from = 0; from < subjects.size(); from += SUBJECTS_PER_QUERY) {
            List<String> chunk = subjects.subList(from, Math.min(subjects.size(), from + SUBJECTS_PER_QUERY));
            changed += blank(chunk);
        }
        return changed;
    }

    /**
     * Cancels the deliveries about these subjects that are not sent yet (a webhook's failed one too, which could be
     * re-driven), then removes their bodies; the entries stay, so their keys still stop a second recording.
     */
    private long blank(List<String> subjects) {
        List<Criteria> about = new ArrayList<>();
        about.add(where("subject").in(subjects));
        for (String subject : subjects) {
            about.add(where("subject").regex("^" + PersonalData.literal(subject) + ":"));
        }
        Criteria matching = new Criteria().orOperator(about);
        mongo.updateMulti(
                        query(where("status")
                                        .in(
                                                DeliveryStatus.PENDING.name(),
                                                DeliveryStatus.SENDING.name(),
                                                DeliveryStatus.FAILED.name()))
                                .addCriteria(matching),
                        new Update()
                                .set("status", DeliveryStatus.CANCELLED.name())
                                .set("finishedAt", clock.instant())
                                .set("lastError", "erased")
                                .unset("leaseUntil")
                                .unset("leaseToken")
                                .unset("mail.to"),
                        OutboxEntry.class)
                .block(timeout);
        var mails = mongo.updateMulti(
                        query(where("channel").is(Channel.MAIL.name())).addCriteria(matching),
                        new Update().set("mail.text", "").set("mail.html", ""),
                        OutboxEntry.class)
                .block(timeout);
        var webhooks = mongo.updateMulti(
                        query(where("channel").is(Channel.WEBHOOK.name())).addCriteria(matching),
                        new Update().set("webhook.body", ""),
                        OutboxEntry.class)
                .block(timeout);
        return (mails == null ? 0 : mails.getModifiedCount()) + (webhooks == null ? 0 : webhooks.getModifiedCount());
    }
}
