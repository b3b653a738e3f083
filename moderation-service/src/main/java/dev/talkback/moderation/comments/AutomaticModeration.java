package dev.talkback.moderation.comments;

import dev.talkback.engine.ModerationEngine;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Decides on a submitted comment once, stores the comment with its decision, and publishes the decision.
 *
 * <p>At-least-once delivery, exactly-once effect: the document's id is the comment id, so a redelivered submission
 * (or one that another instance is handling at the same moment) finds the stored comment and re-publishes its current
 * decision unchanged, with the same event id and revision, instead of deciding a second time: the stored comment is
 * looked up while the engine decides, and the engine stops as soon as it is found. The offset is committed
 * only after this method returns, i.e. after the store and the publication both succeeded; any failure throws and
 * the error handler retries, which is safe because every step is idempotent.
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
        // A redelivered comment (the consumer was evicted or crashed mid-poll) has a stored decision and must not be
        // decided again: the engine's work would be wasted, and a batch of hostile comments would be paid for twice.
        // Looked up while the engine decides, not before (a store round trip per comment in line would cost
        // throughput): the engine asks between its phases and gives up as soon as the answer is a stored decision.
        CompletableFuture<ModeratedComment> lookup =
                comments.findById(submitted.commentId()).timeout(storeTimeout).toFuture();
        Optional<ModeratedComment> decided = decideUnlessStored(submitted, lookup);
        if (decided.isEmpty()) {
            return republish(stored(lookup).orElseThrow(), submitted);
        }
        if (!insert(decided.get())) {
            // stored between the look-up and the insert (another instance), or the look-up answered after the engine
            return republish(stored(lookup).orElseGet(() -> storedDecision(submitted.commentId())), submitted);
        }
        return recordAndPublish(decided.get(), submitted);
    }

    private CommentModerated republish(ModeratedComment stored, CommentSubmitted submitted) {
        log.info(
                "Comment {} already decided (redelivery, retry or another consumer): re-publishing its decision"
                        + " revision {} ({})",
                stored.id(),
                stored.decision().revision(),
                stored.decision().outcome());
        // an erased comment (no key any more) gets no contact and keeps no client data
        boolean erased = stored.emailKey() == null;
        if (!erased && stored.submittedAt().plus(clientDataRetention).isAfter(clock.instant())) {
            // the first handling may have failed before the client data was stored
            clients.storeIfAbsent(CommentClient.of(submitted, clock.instant())).block(storeTimeout);
        }
        CommentModerated event =
                stored.currentDecisionEvent(erased ? null : submitted.author().email());
        publish(event);
        return event;
    }

    /** The stored comment the look-up found, if it has answered with one (a failed look-up is no answer). */
    private static Optional<ModeratedComment> stored(CompletableFuture<ModeratedComment> lookup) {
        if (!lookup.isDone() || lookup.isCompletedExceptionally()) {
            return Optional.empty();
        }
        return Optional.ofNullable(lookup.getNow(null));
    }

    private CommentModerated recordAndPublish(ModeratedComment decided, CommentSubmitted submitted) {
        // the client data stored and the comment counted for later flood and duplicate checks while Kafka takes the
        // decision: the waits overlapped in one
        CompletableFuture<Void> counted = Mono.when(
                        clients.store(CommentClient.of(submitted, clock.instant())),
                        floods.record(submitted.author().email(), submitted.clientIp(), decided.submittedAt()),
                        fingerprints.record(decided))
                .timeout(storeTimeout)
                .toFuture();
        CommentModerated event = decided.currentDecisionEvent(submitted.author().email());
        publish(event);
        Mono.fromFuture(counted).block();
        ModerationDecision decision = decided.decision();
        log.info(
                "Comment {} {} (revision {}, rules {}, spam {}, model {})",
                decided.id(),
                decision.outcome(),
                decision.revision(),
                decision.reasons().stream()
                        .map(ModerationDecision.Reason::ruleId)
                        .collect(Collectors.joining(",")),
                decision.scores().get(ModerationEngine.SPAM_SCORE),
                decision.modelVersion());
        return event;
    }

    private Optional<ModeratedComment> decideUnlessStored(
            CommentSubmitted submitted, CompletableFuture<ModeratedComment> lookup) {
        return engine.decideUnless(
                        ModeratedComment.submissionOf(submitted),
                        rules.settingsFor(submitted.articleId()),
                        () -> stored(lookup).isPresent())
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
        return insert(decided) ? decided : storedDecision(decided.id());
    }

    /** Whether the comment was new and is now stored; false if it was stored already, which is left unchanged. */
    private boolean insert(ModeratedComment decided) {
        try {
            comments.insert(decided).block(storeTimeout);
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    private ModeratedComment storedDecision(String id) {
        ModeratedComment stored = comments.findById(id).block(storeTimeout);
        if (stored == null) {
            throw new IllegalStateException("Comment " + id + " is a duplicate key but not found");
        }
        return stored;
    }

    private void publish(CommentModerated event) {
        try {
            kafka.send(Topics.COMMENTS_MODERATED, event.commentId(), event)
                    .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while publishing the decision on comment " + event.commentId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish the decision on comment " + event.commentId(), e);
        }
    }
}
