package dev.talkback.moderation.comments;

import dev.talkback.engine.ModerationEngine;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.support.kafka.CommentIdLogging;
import dev.talkback.support.privacy.AddressKeys;
import io.micrometer.observation.Observation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Decides on submitted comments once, stores each comment with its decision, and publishes the decisions: the
 * submissions of one poll together, with a few round trips to the store and Kafka for all of them rather than several
 * for each (issue 22).
 *
 * <p>At-least-once delivery, exactly-once effect: the document's id is the comment id, so a redelivered submission
 * (or one that another instance is handling at the same moment) finds the stored comment and re-publishes its current
 * decision unchanged, with the same event id and revision, instead of deciding a second time: the poll's stored
 * comments are looked up in one query while the engine decides, and the engine stops as soon as it is found; the new
 * comments are inserted in one unordered bulk write, in which one that another instance stored meanwhile fails alone
 * (duplicate key) and its stored decision is published instead. The offsets are committed only after
 * {@link #moderate(List)} returns, i.e. after the store and the publication both succeeded for the whole poll; a
 * failure names the first submission whose effect is not complete ({@link BatchListenerFailedException}), the error
 * handler commits the ones before it and retries from it, which is safe because every step is idempotent.
 *
 * <p>The comment is stored with the key of its author's address only; the address, IP address and user agent go to
 * its {@link CommentClient}, kept for {@code moderation.privacy.client-data-retention}. The decision's contact comes
 * from the submission in hand.
 */
@Service
class AutomaticModeration {

    private static final Logger log = LoggerFactory.getLogger(AutomaticModeration.class);

    private final ModerationEngine engine;
    private final ActiveRules rules;
    private final ModeratedComments comments;
    private final MongoRecentActivity recent;
    private final FloodCounters floods;
    private final RecentFingerprints fingerprints;
    private final CommentClients clients;
    private final AddressKeys keys;
    private final KafkaTemplate<String, CommentModerated> kafka;
    private final Clock clock;
    private final Duration storeTimeout;
    private final Duration publishTimeout;
    private final ModerationProperties.Statements statements;
    private final Duration clientDataRetention;

    AutomaticModeration(
            ModerationEngine engine,
            ActiveRules rules,
            ModeratedComments comments,
            MongoRecentActivity recent,
            FloodCounters floods,
            RecentFingerprints fingerprints,
            CommentClients clients,
            AddressKeys keys,
            KafkaTemplate<String, CommentModerated> kafka,
            Clock clock,
            ModerationProperties properties) {
        this.engine = engine;
        this.rules = rules;
        this.comments = comments;
        this.recent = recent;
        this.floods = floods;
        this.fingerprints = fingerprints;
        this.clients = clients;
        this.keys = keys;
        this.kafka = kafka;
        this.clock = clock;
        this.storeTimeout = properties.storeTimeout();
        this.publishTimeout = properties.publishTimeout();
        this.statements = properties.statements();
        this.clientDataRetention = properties.privacy().clientDataRetention();
    }

    /** Stores and publishes the decision on a submitted comment; returns the event that was published. */
    CommentModerated moderate(CommentSubmitted submitted) {
        try {
            return moderate(List.of(submitted)).get(0);
        } catch (BatchListenerFailedException failed) {
            throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
        }
    }

    /**
     * Stores and publishes the decisions on a poll's submissions, decided together; returns the events that were
     * published, one per submission, in their order.
     *
     * @throws BatchListenerFailedException with the index of the first submission whose decision is not both stored
     *     and published (every one before it is), and the failure as its cause
     */
    List<CommentModerated> moderate(List<CommentSubmitted> batch) {
        return moderate(batch, List.of());
    }

    /**
     * As {@link #moderate(List)}, each submission's work (its decision, its log lines, the sending of its event) done in
     * its record's trace: {@code traces} holds one started observation per submission, or none.
     */
    List<CommentModerated> moderate(List<CommentSubmitted> batch, List<Observation> traces) {
        if (batch.isEmpty()) {
            return List.of();
        }
        // A redelivered comment (the consumer was evicted or crashed mid-poll) has a stored decision and must not be
        // decided again: the engine's work would be wasted, and a batch of hostile comments would be paid for twice.
        // Looked up in one query for the poll while the engine decides, not before: the engine asks between its
        // phases and gives up as soon as the answer is a stored decision.
        CompletableFuture<Map<String, ModeratedComment>> lookup = comments.findAllById(batch.stream()
                        .map(CommentSubmitted::commentId)
                        .distinct()
                        .toList())
                .collectMap(ModeratedComment::id, Function.identity())
                .timeout(storeTimeout)
                .toFuture();
        BatchActivity activity;
        try {
            activity = recent.of(batch).timeout(storeTimeout).block();
        } catch (RuntimeException unavailable) {
            throw failedAt(0, batch, unavailable);
        }
        Decisions decisions = activity.within(() -> decide(batch, traces, lookup, activity));
        // the look-up answered after the engine decided: the stored decision wins, the new one is dropped
        Map<String, ModeratedComment> stored = storedOrNone(lookup);
        decisions
                .decided()
                .keySet()
                .removeIf(index -> stored.containsKey(batch.get(index).commentId()));
        int done = decisions.failedAt();
        RuntimeException failure = decisions.failure();

        NewComments.Inserted inserted;
        try {
            inserted = insertAll(List.copyOf(decisions.decided().values()));
        } catch (RuntimeException unavailable) {
            throw failedAt(0, batch, unavailable);
        }
        Map<String, ModeratedComment> raced;
        try {
            raced = inserted.duplicates().isEmpty() ? Map.of() : storedDecisions(inserted.duplicates());
        } catch (RuntimeException unavailable) {
            throw failedAt(0, batch, unavailable);
        }

        // what each submission before the first failure publishes: its new decision, or the stored one
        List<Moderated> moderated = new ArrayList<>();
        for (int i = 0; i < done; i++) {
            CommentSubmitted submitted = batch.get(i);
            ModeratedComment decided = decisions.decided().get(i);
            String id = submitted.commentId();
            if (decided != null && inserted.refused().containsKey(id)) {
                done = i;
                failure = inserted.refused().get(id);
                break;
            }
            if (decided != null && !inserted.duplicates().contains(id)) {
                moderated.add(new Moderated(submitted, decided, true, false));
                continue;
            }
            // stored before (a redelivery, a retry, another instance), stored by another instance between the
            // look-up and the insert, or a second submission of a comment decided earlier in this poll
            ModeratedComment earlier = raced.getOrDefault(id, stored.get(id));
            boolean inThisPoll = false;
            for (Moderated before : moderated) {
                if (before.comment().id().equals(id)) {
                    earlier = before.comment();
                    inThisPoll = true;
                }
            }
            if (earlier == null) {
                done = i;
                failure = new IllegalStateException("Comment " + id + " is a duplicate key but not found");
                break;
            }
            moderated.add(new Moderated(submitted, earlier, false, inThisPoll));
        }

        // the client data stored and the comments counted for later flood and duplicate checks while Kafka takes the
        // decisions: the waits overlapped in one
        CompletableFuture<Void> recorded =
                record(moderated).timeout(storeTimeout).toFuture();
        List<CommentModerated> events = new ArrayList<>();
        for (Moderated one : moderated) {
            // an erased comment (no key any more) gets no contact
            boolean erased = !one.decidedNow() && one.comment().emailKey() == null;
            events.add(one.event(erased ? null : one.submitted().author().email()));
        }
        Published published = publishAll(events, traces);
        if (published.failure() != null && published.failedAt() < done) {
            done = published.failedAt();
            failure = published.failure();
        }
        try {
            Mono.fromFuture(recorded).block();
        } catch (RuntimeException unavailable) {
            // stored and published, but not counted: a redelivery re-publishes them (and counts them no more)
            int firstNew = firstNew(moderated);
            if (firstNew < done) {
                done = firstNew;
                failure = unavailable;
            }
        }
        for (int i = 0; i < done; i++) {
            try (var traced = InTrace.of(traces, i, batch.get(i).commentId())) {
                log(moderated.get(i));
            }
        }
        if (failure != null) {
            throw failedAt(done, batch, failure);
        }
        return events;
    }

    /** The effect of a submission: the comment whose decision it publishes, and whether it was decided now. */
    private record Moderated(CommentSubmitted submitted, ModeratedComment comment, boolean decidedNow, boolean again) {

        CommentModerated event(@Nullable String email) {
            return comment.currentDecisionEvent(email);
        }
    }

    /**
     * The poll's decisions: the new ones by index, and the index of the first submission that could not be decided
     * (the size of the poll if none), with its failure; the ones after it are left for the redelivery.
     */
    private record Decisions(
            SortedMap<Integer, ModeratedComment> decided,
            int failedAt,
            @Nullable RuntimeException failure) {}

    private Decisions decide(
            List<CommentSubmitted> batch,
            List<Observation> traces,
            CompletableFuture<Map<String, ModeratedComment>> lookup,
            BatchActivity activity) {
        SortedMap<Integer, ModeratedComment> decided = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            CommentSubmitted submitted = batch.get(i);
            if (!seen.add(submitted.commentId())) {
                continue; // the same comment again in this poll: it publishes the first one's decision
            }
            try (var traced = InTrace.of(traces, i, submitted.commentId())) {
                Optional<ModeratedComment> comment = decideUnlessStored(submitted, lookup);
                if (comment.isPresent()) {
                    decided.put(i, comment.get());
                    activity.add(comment.get(), submitted);
                }
            } catch (RuntimeException poison) {
                return new Decisions(decided, i, poison);
            }
        }
        return new Decisions(decided, batch.size(), null);
    }

    /** The stored comments the look-up found; a failed look-up is no answer, and the inserts decide. */
    private Map<String, ModeratedComment> storedOrNone(CompletableFuture<Map<String, ModeratedComment>> lookup) {
        try {
            return lookup.get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedAt(0, List.of(), e);
        } catch (ExecutionException | TimeoutException noAnswer) {
            return Map.of();
        }
    }

    /** Whether the comment's client data may be used: not erased, and within the retention. */
    private boolean clientDataHeld(ModeratedComment comment) {
        return comment.emailKey() != null
                && comment.submittedAt().plus(clientDataRetention).isAfter(clock.instant());
    }

    /**
     * Stores the client data of the submissions and counts the new comments for the flood and duplicate checks, all at
     * once. A re-published decision gets its client data only if none is stored (the first handling may have failed
     * before it was stored); an erased comment (no key any more) keeps none.
     */
    private Mono<Void> record(List<Moderated> moderated) {
        List<Mono<Void>> writes = new ArrayList<>();
        List<FloodCounters.Sent> sent = new ArrayList<>();
        List<ModeratedComment> decidedNow = new ArrayList<>();
        List<CommentClient> newClients = new ArrayList<>();
        for (Moderated one : moderated) {
            CommentClient client = CommentClient.of(one.submitted(), clock.instant());
            if (one.decidedNow()) {
                newClients.add(client);
                decidedNow.add(one.comment());
                sent.add(new FloodCounters.Sent(
                        one.submitted().author().email(),
                        one.submitted().clientIp(),
                        one.comment().submittedAt()));
            } else if (!one.again() && clientDataHeld(one.comment())) {
                writes.add(clients.storeIfAbsent(client));
            }
        }
        if (!sent.isEmpty()) {
            writes.add(clients.storeAll(newClients));
            writes.add(floods.recordAll(sent));
            writes.add(fingerprints.recordAll(decidedNow));
        }
        return Mono.when(writes);
    }

    private static int firstNew(List<Moderated> moderated) {
        for (int i = 0; i < moderated.size(); i++) {
            if (moderated.get(i).decidedNow()) {
                return i;
            }
        }
        return moderated.size();
    }

    private void log(Moderated one) {
        ModeratedComment comment = one.comment();
        ModerationDecision decision = comment.decision();
        if (!one.decidedNow()) {
            log.info(
                    "Comment {} already decided (redelivery, retry or another consumer): re-published its decision"
                            + " revision {} ({})",
                    comment.id(),
                    decision.revision(),
                    decision.outcome());
            return;
        }
        log.info(
                "Comment {} {} (revision {}, rules {}, spam {}, model {})",
                comment.id(),
                decision.outcome(),
                decision.revision(),
                decision.reasons().stream()
                        .map(ModerationDecision.Reason::ruleId)
                        .collect(Collectors.joining(",")),
                decision.scores().get(ModerationEngine.SPAM_SCORE),
                decision.modelVersion());
    }

    /**
     * A submission's record trace in scope and its comment id in the MDC, as a record listener has them (the listener
     * observation, CommentIdLogging): its log lines carry both, and its event's {@code traceparent} continues the trace.
     */
    private record InTrace(Observation.Scope scope, MDC.MDCCloseable logged) implements AutoCloseable {

        static InTrace of(List<Observation> traces, int index, String commentId) {
            Observation trace = index < traces.size() ? traces.get(index) : Observation.NOOP;
            String loggable = CommentIdLogging.loggable(commentId);
            Observation.Scope scope = trace.openScope();
            return new InTrace(scope, MDC.putCloseable(CommentIdLogging.MDC_KEY, loggable == null ? "?" : loggable));
        }

        @Override
        public void close() {
            logged.close();
            scope.close();
        }
    }

    private static BatchListenerFailedException failedAt(int index, List<CommentSubmitted> batch, Exception cause) {
        String id = index < batch.size() ? batch.get(index).commentId() : "?";
        return new BatchListenerFailedException(
                "Comment " + id + " (record " + index + " of the poll) is not decided, stored and published",
                cause,
                index);
    }

    private Optional<ModeratedComment> decideUnlessStored(
            CommentSubmitted submitted, CompletableFuture<Map<String, ModeratedComment>> lookup) {
        return engine.decideUnless(
                        ModeratedComment.submissionOf(submitted),
                        rules.settingsFor(submitted.articleId()),
                        () -> lookup.isDone()
                                && !lookup.isCompletedExceptionally()
                                && lookup.getNow(Map.of()).containsKey(submitted.commentId()))
                .map(decision -> ModeratedComment.decidedAutomatically(
                        submitted,
                        decision,
                        clock.instant(),
                        UUID.randomUUID(),
                        statements,
                        keys.of(submitted.author().email())));
    }

    /**
     * Inserts a newly decided comment; if it is stored already (a redelivery, a retry, or another instance that took
     * it at the same moment), the stored one wins and is returned, with its current decision.
     */
    ModeratedComment insertOrLoad(ModeratedComment decided) {
        NewComments.Inserted inserted = insertAll(List.of(decided));
        RuntimeException failed = inserted.refused().get(decided.id());
        if (failed != null) {
            throw failed;
        }
        return inserted.duplicates().isEmpty() ? decided : storedDecision(decided.id());
    }

    private NewComments.Inserted insertAll(List<ModeratedComment> decided) {
        if (decided.isEmpty()) {
            return NewComments.Inserted.ALL;
        }
        NewComments.Inserted inserted =
                comments.insertNew(decided).timeout(storeTimeout).block();
        if (inserted == null) {
            throw new IllegalStateException("No answer from the store about the insert of new comments");
        }
        return inserted;
    }

    private ModeratedComment storedDecision(String id) {
        ModeratedComment stored = comments.findById(id).block(storeTimeout);
        if (stored == null) {
            throw new IllegalStateException("Comment " + id + " is a duplicate key but not found");
        }
        return stored;
    }

    /** The stored comments of the ids, which an insert found stored already. */
    private Map<String, ModeratedComment> storedDecisions(Collection<String> ids) {
        Map<String, ModeratedComment> stored = comments.findAllById(ids)
                .collectMap(ModeratedComment::id, Function.identity())
                .timeout(storeTimeout)
                .block();
        return stored == null ? Map.of() : stored;
    }

    /** The first event that could not be published (its index; the number of events if all were) and why. */
    private record Published(int failedAt, @Nullable RuntimeException failure) {}

    /**
     * Sends every event, then waits for all of them: Kafka batches the sends of one partition into one request, and
     * the waits overlap. Events of one comment keep their order (one key, one partition, sent in order).
     */
    private Published publishAll(List<CommentModerated> events, List<Observation> traces) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        Published failed = new Published(events.size(), null);
        for (CommentModerated event : events) {
            // in the record's trace: the event's traceparent continues it
            try (var traced = InTrace.of(traces, sends.size(), event.commentId())) {
                sends.add(kafka.send(Topics.COMMENTS_MODERATED, event.commentId(), event));
            } catch (RuntimeException refused) {
                failed = new Published(sends.size(), notPublished(event, refused));
                break;
            }
        }
        long deadline = System.nanoTime() + publishTimeout.toNanos();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Published(i, notPublished(events.get(i), e));
            } catch (ExecutionException | TimeoutException e) {
                return new Published(i, notPublished(events.get(i), e));
            }
        }
        return failed;
    }

    private static KafkaException notPublished(CommentModerated event, Exception cause) {
        return new KafkaException("Could not publish the decision on comment " + event.commentId(), cause);
    }
}
