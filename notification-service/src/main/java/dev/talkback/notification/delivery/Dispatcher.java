package dev.talkback.notification.delivery;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.kafka.CommentIdLogging;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Sends what the {@link Outbox} recorded. Each channel has its workers ({@code notification.outbox.mail-workers} for
 * mail, each with its own kept-open SMTP connection; one for webhooks, so that a slow receiver does not hold the mails
 * up). Every {@code notification.outbox.poll-interval}, and at once again while it finds a full batch, a worker reads
 * the ids of up to a batch of due deliveries, oldest first, and claims those still free in one atomic update
 * ({@code PENDING and due → SENDING until now + lease}, under a fresh lease token: another worker or instance
 * claiming at the same moment gets the others). It then sends them one by one and records each outcome only if it
 * still holds the lease:
 * <ul>
 *   <li>sent → {@code SENT};</li>
 *   <li>transient failure → {@code PENDING} again, due after an exponential back-off with jitter; a mail is given
 *       up ({@code FAILED}) after {@code mail-give-up-after}, a webhook after {@code webhook-max-attempts};</li>
 *   <li>channel unreachable (SMTP down) → the same, and the rest of the batch is given back for the next poll, so an
 *       outage costs one attempt per poll instead of one per delivery;</li>
 *   <li>permanent refusal → {@code FAILED}; not to be sent → {@code CANCELLED}; rate-limited → due later.</li>
 * </ul>
 * A worker sends a claimed delivery only while at least half of the lease is left, and gives the rest back otherwise:
 * a slow server cannot make a lease run out under a delivery not yet sent. A claim whose lease ran out (its instance
 * died) is claimed again. <strong>The one window for a duplicate:</strong> an instance that dies (or loses MongoDB)
 * after the server accepted the mail or the webhook answered 2xx, and before {@code SENT} was stored; the delivery is
 * then sent again after its lease expires, a mail with the same {@code Message-ID}.
 */
@Component
class Dispatcher implements SmartLifecycle {

    /** Attempts by channel and outcome ({@code sent}, {@code retry}, {@code unavailable}, {@code failed}, ...). */
    static final String DELIVERIES_METRIC = "notification.deliveries";

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Pause between attempts to record an outcome while MongoDB is unreachable. */
    private static final Duration STORE_RETRY = Duration.ofMillis(500);

    private final ReactiveMongoTemplate mongo;
    private final List<DeliverySender> senders;
    private final NotificationProperties.Outbox settings;
    private final NotificationProperties.MailRetry mailRetry;
    private final NotificationProperties.WebhookRetry webhookRetry;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private final TraceCarrier traces;
    private final int mailWorkers;
    private final MeterRegistry meters;
    private @Nullable ThreadPoolTaskScheduler workers;
    /** Set when the service stops: a worker sends nothing more and gives back the rest of its batch. */
    private volatile boolean stopping;

    Dispatcher(ReactiveMongoTemplate mongo, List<DeliverySender> senders, NotificationProperties properties) {
        this(mongo, senders, properties, TraceCarrier.none(), new SimpleMeterRegistry());
    }

    @Autowired
    Dispatcher(
            ReactiveMongoTemplate mongo,
            List<DeliverySender> senders,
            NotificationProperties properties,
            TraceCarrier traces,
            MeterRegistry meters) {
        this.traces = traces;
        this.meters = meters;
        this.mongo = mongo;
        this.senders = senders;
        this.settings = properties.outbox();
        this.mailRetry = properties.mail().retry();
        this.webhookRetry = properties.webhooks().retry();
        this.timeout = properties.timeouts().store();
        this.mailWorkers = settings.mailWorkers();
    }

    /**
     * Starts the workers on a scheduler of their own. When the service stops, a send in progress finishes and is
     * recorded, and the rest of its batch is given back for another instance.
     */
    @Override
    public synchronized void start() {
        if (workers != null) {
            return;
        }
        stopping = false;
        List<DeliverySender> tasks = new ArrayList<>();
        for (DeliverySender sender : senders) {
            int count = sender.channel() == Channel.MAIL ? mailWorkers : 1;
            for (int i = 0; i < count; i++) {
                tasks.add(sender);
            }
        }
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(Math.max(1, tasks.size()));
        scheduler.setThreadNamePrefix("outbox-");
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds((int) Math.max(1, timeout.toSeconds()));
        scheduler.initialize();
        Duration period = settings.pollInterval();
        for (DeliverySender sender : tasks) {
            scheduler.scheduleWithFixedDelay(
                    () -> drain(sender), clock.instant().plus(period), period);
        }
        workers = scheduler;
    }

    @Override
    public synchronized void stop() {
        stopping = true;
        if (workers != null) {
            workers.shutdown();
            workers = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return workers != null;
    }

    /**
     * Polls one channel again and again while each poll finds a full batch, so that a backlog is worked through at
     * the speed of the channel rather than one batch per poll interval.
     */
    private void drain(DeliverySender sender) {
        while (!stopping
                && poll(sender) == settings.batchSize()
                && !Thread.currentThread().isInterrupted()) {
            // next batch at once
        }
    }

    /**
     * One poll of one channel: up to a batch of due deliveries; returns how many it found (0 when the channel is
     * unreachable). Never throws, so the schedule keeps running.
     */
    int poll(DeliverySender sender) {
        List<String> candidates;
        try {
            candidates = candidates(sender.channel(), clock.instant(), settings.batchSize());
            if (candidates.isEmpty()) {
                sender.idle();
                return 0;
            }
            List<OutboxEntry> claimed = claim(candidates, clock.instant());
            for (int i = 0; i < claimed.size(); i++) {
                OutboxEntry entry = claimed.get(i);
                if (stopping || !halfTheLeaseLeft(entry)) {
                    giveBack(claimed.subList(i, claimed.size()));
                    return 0;
                }
                SendResult result;
                // the send and its log lines belong to the comment's trace, recorded with the delivery
                try (var trace = traces.continueTrace(entry.traceparent(), "outbox " + entry.kind());
                        var comment = commentIdInMdc(entry)) {
                    try {
                        result = sender.send(entry);
                    } catch (RuntimeException ex) {
                        result = SendResult.retry(ex.getClass().getName());
                    }
                    record(entry, result);
                }
                if (result.outcome() == SendResult.Outcome.UNAVAILABLE) {
                    giveBack(claimed.subList(i + 1, claimed.size()));
                    return 0;
                }
            }
        } catch (RuntimeException ex) {
            // MongoDB unreachable, most likely; the deliveries stay where they are and the next poll tries again.
            log.warn(
                    "Outbox poll of {} failed ({})",
                    sender.channel(),
                    ex.getClass().getName());
            return 0;
        }
        return candidates.size();
    }

    private boolean halfTheLeaseLeft(OutboxEntry entry) {
        Instant leaseUntil = entry.leaseUntil();
        return leaseUntil != null
                && clock.instant().plus(settings.lease().dividedBy(2)).isBefore(leaseUntil);
    }

    /**
     * The comment a delivery is about as {@code commentId} in the MDC, until closed: its {@code subject} is the comment
     * id, or {@code commentId:revision}; a digest, an address confirmation or a privacy link is about no single
     * comment.
     */
    private static TraceCarrier.Continued commentIdInMdc(OutboxEntry entry) {
        int colon = entry.subject().indexOf(':');
        String id = colon < 0 ? entry.subject() : entry.subject().substring(0, colon);
        String loggable = CommentIdLogging.loggable(id);
        if (entry.kind().contains("digest")
                || entry.kind().startsWith("confirm")
                || entry.kind().equals("privacy")
                || loggable == null) {
            return () -> {};
        }
        MDC.put(CommentIdLogging.MDC_KEY, loggable);
        return () -> MDC.remove(CommentIdLogging.MDC_KEY);
    }

    /**
     * Up to {@code limit} ids of due deliveries, else of deliveries whose lease ran out, oldest due first; each is
     * then claimed on its own (another instance may take it first). Two queries rather than one {@code $or}: each
     * starts with an equality on {@code status}, so the index on (status, channel, nextAttemptAt) serves it and sent
     * deliveries, the bulk of the collection, are never read; and one query per batch rather than per delivery.
     */
    private List<String> candidates(Channel channel, Instant now, int limit) {
        List<String> due = ids(
                query(where("status")
                        .is(DeliveryStatus.PENDING.name())
                        .and("channel")
                        .is(channel.name())
                        .and("nextAttemptAt")
                        .lte(now)),
                limit);
        return !due.isEmpty()
                ? due
                : ids(
                        query(where("status")
                                .is(DeliveryStatus.SENDING.name())
                                .and("channel")
                                .is(channel.name())
                                .and("leaseUntil")
                                .lt(now)),
                        limit);
    }

    private List<String> ids(Query query, int limit) {
        query.with(Sort.by(Sort.Direction.ASC, "nextAttemptAt"))
                .limit(limit)
                .fields()
                .include("_id");
        List<String> ids = mongo.find(query, Document.class, mongo.getCollectionName(OutboxEntry.class))
                .map(found -> found.getString("_id"))
                .collectList()
                .block(timeout);
        return ids == null ? List.of() : ids;
    }

    /**
     * Claims those of the candidates still due (or abandoned) in one update, the atomic step per delivery that two
     * workers cannot both win, and reads back the ones this claim won, oldest due first.
     */
    private List<OutboxEntry> claim(List<String> ids, Instant now) {
        String token = UUID.randomUUID().toString();
        Query stillFree = query(where("_id")
                .in(ids)
                .orOperator(
                        where("status")
                                .is(DeliveryStatus.PENDING.name())
                                .and("nextAttemptAt")
                                .lte(now),
                        where("status")
                                .is(DeliveryStatus.SENDING.name())
                                .and("leaseUntil")
                                .lt(now)));
        mongo.updateMulti(
                        stillFree,
                        new Update()
                                .set("status", DeliveryStatus.SENDING.name())
                                .set("leaseUntil", now.plus(settings.lease()))
                                .set("leaseToken", token)
                                .inc("attempts", 1),
                        OutboxEntry.class)
                .block(timeout);
        List<OutboxEntry> claimed = mongo.find(
                        query(where("_id").in(ids).and("leaseToken").is(token))
                                .with(Sort.by(Sort.Direction.ASC, "nextAttemptAt")),
                        OutboxEntry.class)
                .collectList()
                .block(timeout);
        return claimed == null ? List.of() : claimed;
    }

    /** Gives claimed deliveries not sent back to the next poll, as they were: due, and without an attempt counted. */
    private void giveBack(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        mongo.updateMulti(
                        query(where("_id")
                                .in(entries.stream().map(OutboxEntry::id).toList())
                                .and("leaseToken")
                                .is(entries.get(0).leaseToken())),
                        new Update()
                                .set("status", DeliveryStatus.PENDING.name())
                                .unset("leaseUntil")
                                .unset("leaseToken")
                                .inc("attempts", -1),
                        OutboxEntry.class)
                .block(timeout);
    }

    private void record(OutboxEntry entry, SendResult result) {
        Instant now = clock.instant();
        meters.counter(
                        DELIVERIES_METRIC,
                        "channel",
                        entry.channel().name().toLowerCase(Locale.ROOT),
                        "outcome",
                        result.outcome().name().toLowerCase(Locale.ROOT))
                .increment();
        Update update = new Update().unset("leaseUntil").unset("leaseToken");
        switch (result.outcome()) {
            case SENT -> {
                update.set("status", DeliveryStatus.SENT.name())
                        .set("sentAt", now)
                        .set("finishedAt", now)
                        .unset("lastError");
                // The address is no longer needed once the mail is out.
                if (entry.mail() != null) {
                    update.unset("mail.to");
                }
                log.info("Delivery {} sent ({} attempt(s))", entry.id(), entry.attempts());
            }
            case RETRY, UNAVAILABLE -> {
                if (givesUp(entry, now)) {
                    update.set("status", DeliveryStatus.FAILED.name())
                            .set("finishedAt", now)
                            .set("lastError", result.detail());
                    log.warn(
                            "Delivery {} failed after {} attempt(s) ({})",
                            entry.id(),
                            entry.attempts(),
                            result.detail());
                } else {
                    Instant next = now.plus(backOff(entry));
                    update.set("status", DeliveryStatus.PENDING.name())
                            .set("nextAttemptAt", next)
                            .set("lastError", result.detail());
                    log.info(
                            "Delivery {} attempt {} failed ({}); next at {}",
                            entry.id(),
                            entry.attempts(),
                            result.detail(),
                            next);
                }
            }
            case FAILED -> {
                update.set("status", DeliveryStatus.FAILED.name())
                        .set("finishedAt", now)
                        .set("lastError", result.detail());
                log.warn("Delivery {} refused for good ({})", entry.id(), result.detail());
            }
            case CANCELLED -> {
                update.set("status", DeliveryStatus.CANCELLED.name())
                        .set("finishedAt", now)
                        .set("lastError", result.detail());
                if (entry.mail() != null) {
                    update.unset("mail.to");
                }
                log.info("Delivery {} not sent: {}", entry.id(), result.detail());
            }
            case POSTPONED ->
                update.set("status", DeliveryStatus.PENDING.name())
                        .set("nextAttemptAt", result.until() == null ? now : result.until())
                        .set("lastError", result.detail())
                        .inc("attempts", -1);
        }
        storeWhileLeased(entry, update);
    }

    /**
     * Stores the outcome, retrying while MongoDB is unreachable for as long as this instance still holds the lease:
     * giving up at the first failure would leave a sent mail {@code SENDING}, to be sent again once the lease runs
     * out. Only an outage longer than the lease (or a crash) still opens that window.
     */
    private void storeWhileLeased(OutboxEntry entry, Update update) {
        while (true) {
            try {
                mongo.updateFirst(
                                query(where("_id")
                                        .is(entry.id())
                                        .and("leaseToken")
                                        .is(entry.leaseToken())),
                                update,
                                OutboxEntry.class)
                        .block(timeout);
                return;
            } catch (RuntimeException ex) {
                Instant leaseUntil = entry.leaseUntil();
                if (leaseUntil == null
                        || !clock.instant().plus(STORE_RETRY).isBefore(leaseUntil)
                        || Thread.currentThread().isInterrupted()) {
                    throw ex;
                }
                log.warn(
                        "Could not record the outcome of delivery {} ({}); retrying while the lease holds",
                        entry.id(),
                        ex.getClass().getName());
                try {
                    Thread.sleep(STORE_RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    private boolean givesUp(OutboxEntry entry, Instant now) {
        return entry.channel() == Channel.WEBHOOK
                ? entry.attempts() >= webhookRetry.maxAttempts()
                : !now.isBefore(entry.createdAt().plus(mailRetry.giveUpAfter()));
    }

    /** {@code initial × multiplier^(attempts − 1)}, at most the maximum, then ± jitter. */
    Duration backOff(OutboxEntry entry) {
        boolean webhook = entry.channel() == Channel.WEBHOOK;
        long initial = (webhook ? webhookRetry.initialBackoff() : mailRetry.initialBackoff()).toMillis();
        long max = (webhook ? webhookRetry.maxBackoff() : mailRetry.maxBackoff()).toMillis();
        double delay = Math.min(max, initial * Math.pow(settings.multiplier(), Math.max(0, entry.attempts() - 1)));
        double jitter = settings.jitter() * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(1, Math.round(delay * (1 + jitter))));
    }
}
