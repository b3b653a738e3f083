package dev.talkback.moderation.comments;

import dev.talkback.engine.AbuseCategory;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.audit.AuditLog;
import dev.talkback.moderation.rules.AuthorRejection;
import dev.talkback.moderation.rules.Ban;
import dev.talkback.support.kafka.CommentIdLogging;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.privacy.AddressKeys;
import dev.talkback.support.web.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Human decisions and claims.
 *
 * <p>A decision is stored first, then published, like the automatic one. The store is a single conditional update of
 * the comment's document on the revision the moderator saw ({@code decision.revision}): of two moderators deciding at
 * once, exactly one update matches; the other gets {@code 409} with the winning decision. The same update marks the
 * decision {@code publishPending}; a successful publication clears the mark. If Kafka does not acknowledge, the
 * moderator gets {@code 503} saying the decision is stored, and the re-publisher of every instance sends each decision
 * still pending after {@code moderation.republish-after}. A re-publication is harmless: it is the same event (same id,
 * same revision), and consumers keep the highest revision. The moderator should not repeat the request (a repeat
 * would be a further decision, revision + 1, with the same effect).
 */
@Service
class HumanModeration implements AuthorRejection, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(HumanModeration.class);

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<String, CommentModerated> kafka;
    private final AuditLog audit;
    private final Clock clock;
    private final ModerationProperties properties;
    private final QueueEvents events;
    private final CommentReports reports;
    private final CommentClients clients;
    private final AddressKeys keys;

    HumanModeration(
            ReactiveMongoTemplate mongo,
            KafkaTemplate<String, CommentModerated> kafka,
            AuditLog audit,
            Clock clock,
            ModerationProperties properties,
            QueueEvents events,
            CommentReports reports,
            CommentClients clients,
            AddressKeys keys) {
        this.reports = reports;
        this.clients = clients;
        this.keys = keys;
        this.mongo = mongo;
        this.kafka = kafka;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
        this.events = events;
    }

    /** What a moderator can decide. */
    enum Action {
        APPROVE(CommentModerated.Outcome.APPROVED, null),
        REJECT(CommentModerated.Outcome.REJECTED, null),
        SPAM(CommentModerated.Outcome.REJECTED, "SPAM"),
        HAM(CommentModerated.Outcome.APPROVED, "HAM"),
        ABUSE(CommentModerated.Outcome.REJECTED, "ABUSE"),
        NOT_ABUSE(CommentModerated.Outcome.APPROVED, "NOT_ABUSE"),
        /** Back into the held queue, without a label: the console's undo of a decision on a held comment. */
        HOLD(CommentModerated.Outcome.HELD, null);

        final CommentModerated.Outcome outcome;
        final @Nullable String label;

        Action(CommentModerated.Outcome outcome, @Nullable String label) {
            this.outcome = outcome;
            this.label = label;
        }

        /** {@code human.approve} … {@code human.abuse}, {@code human.not-abuse}, {@code human.hold}. */
        String ruleId() {
            return "human." + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A decision without an abuse category. */
    Mono<ModeratedComment> decide(
            String id,
            Action action,
            @Nullable String reason,
            @Nullable Integer expectedRevision,
            String moderator,
            boolean overrideClaim) {
        return decide(id, action, null, reason, expectedRevision, moderator, overrideClaim);
    }

    /**
     * Stores a human decision as the next revision and publishes it.
     *
     * @param category         with {@link Action#ABUSE}: the kind of abuse, if the moderator named it; else {@code null}
     * @param expectedRevision the revision the moderator decided on, or {@code null} for "the current one"
     * @param overrideClaim    whether another moderator's claim may be overridden (bans do)
     * @return the stored comment with its new decision, once published
     */
    Mono<ModeratedComment> decide(
            String id,
            Action action,
            @Nullable AbuseCategory category,
            @Nullable String reason,
            @Nullable Integer expectedRevision,
            String moderator,
            boolean overrideClaim) {
        return decide(id, action, category, reason, null, null, expectedRevision, moderator, overrideClaim);
    }

    /**
     * Stores a human decision as the next revision and publishes it; a rejection carries its statement of reasons
     * ({@link StatementOfReasons}).
     *
     * @param ground    for a rejection, whether the comment is held illegal or against the site's terms; {@code null}:
     *                  the terms
     * @param reference the provision of the law or the clause of the terms; {@code null}: the configured terms
     */
    Mono<ModeratedComment> decide(
            String id,
            Action action,
            @Nullable AbuseCategory category,
            @Nullable String reason,
            CommentModerated.Statement.@Nullable Ground ground,
            @Nullable String reference,
            @Nullable Integer expectedRevision,
            String moderator,
            boolean overrideClaim) {
        if (category != null && action != Action.ABUSE) {
            throw new IllegalArgumentException("a category goes with ABUSE only");
        }
        return mongo.findById(id, ModeratedComment.class)
                .switchIfEmpty(
                        Mono.error(() -> ApiProblem.notFound("No comment with id " + id + " has been moderated.")))
                .flatMap(current -> {
                    if (expectedRevision != null
                            && expectedRevision != current.decision().revision()) {
                        return Mono.error(conflict(current, "The comment was decided in the meantime."));
                    }
                    Instant now = ModeratedComment.millis(clock.instant());
                    String publicReason = action.outcome != CommentModerated.Outcome.REJECTED
                            ? null
                            : category == null
                                    ? "A moderator decided not to publish this comment."
                                    : "A moderator decided not to publish this comment: it contains "
                                            + category.description() + ".";
                    var decision = new ModerationDecision(
                            current.decision().revision() + 1,
                            action.outcome,
                            true,
                            List.of(new ModerationDecision.Reason(
                                    action.ruleId(),
                                    reason == null || reason.isBlank() ? "Decided by a moderator." : reason.strip())),
                            publicReason,
                            "human",
                            now,
                            UUID.randomUUID().toString(),
                            moderator,
                            StatementOfReasons.human(
                                    action.outcome, current, ground, reference, publicReason, properties.statements()));
                    Criteria where = Criteria.where("_id")
                            .is(id)
                            .and("decision.revision")
                            .is(current.decision().revision());
                    if (!overrideClaim) {
                        where = where.orOperator(
                                Criteria.where("claim").is(null),
                                Criteria.where("claim.moderator").is(moderator),
                                Criteria.where("claim.until").lte(now));
                    }
                    Update update = new Update()
                            .set("decision", decision)
                            .push("history", decision)
                            .set("publishPending", now)
                            .unset("claim")
                            .unset("reported");
                    if (current.appeal() != null && current.appeal().resolvedAt() == null) {
                        // the human review the author asked for: resolved with this outcome
                        update = update.set("appeal.resolvedAt", now).set("appeal.outcome", action.outcome.name());
                    }
                    if (action == Action.HOLD) {
                        // an undone SPAM or ABUSE must not teach the models what the moderator took back
                        update = update.unset("label").unset("labelCategory");
                    } else if (action.label != null) {
                        update = update.set("label", action.label);
                        update = category == null
                                ? update.unset("labelCategory")
                                : update.set("labelCategory", category.id());
                    }
                    return mongo.updateFirst(Query.query(where), update, ModeratedComment.class)
                            .flatMap(result -> result.getModifiedCount() == 1
                                    ? mongo.findById(id, ModeratedComment.class)
                                    : mongo.findById(id, ModeratedComment.class)
                                            .flatMap(now2 -> Mono.error(
                                                    now2.decision().revision()
                                                                    != current.decision()
                                                                            .revision()
                                                            ? conflict(now2, "The comment was decided in the meantime.")
                                                            : claimed(now2))));
                })
                .flatMap(stored -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("action", action.name());
                    if (category != null) {
                        details.put("category", category.id());
                    }
                    details.put("reason", stored.decision().reasons().get(0).message());
                    details.put("revision", stored.decision().revision());
                    details.put("outcome", stored.decision().outcome().name());
                    // the request's trace id is in the MDC already; the comment id too, for this line
                    try (var commentId = MDC.putCloseable(CommentIdLogging.MDC_KEY, stored.id())) {
                        log.info(
                                "Comment {} {} by a moderator (revision {}, {})",
                                stored.id(),
                                stored.decision().outcome(),
                                stored.decision().revision(),
                                action.ruleId());
                    }
                    return audit.record(moderator, "comment.decision", stored.id(), details)
                            .then(reports.resolve(stored.id(), stored.decision().outcome()))
                            .then(publish(stored))
                            .thenReturn(stored);
                });
    }

    /**
     * Hides a published comment while readers' reports wait for a moderator ({@code moderation.reports
     * .hide-while-reported}): the next revision, held, automatic (rule {@code reports.hidden}), stored then published
     * like a human decision; if Kafka does not acknowledge, the re-publisher sends it. Nothing when the comment is no
     * longer published.
     */
    Mono<Void> holdWhileReported(String id, int reports) {
        return mongo.findById(id, ModeratedComment.class)
                .filter(current -> current.decision().outcome() == CommentModerated.Outcome.APPROVED)
                .flatMap(current -> {
                    Instant now = ModeratedComment.millis(clock.instant());
                    var decision = new ModerationDecision(
                            current.decision().revision() + 1,
                            CommentModerated.Outcome.HELD,
                            false,
                            List.of(new ModerationDecision.Reason(
                                    "reports.hidden",
                                    "Readers reported this comment (" + reports
                                            + " open reports); it is hidden until a moderator decides.")),
                            "Your comment is hidden while the site's moderators look at readers' reports about it.",
                            "reports",
                            now,
                            UUID.randomUUID().toString(),
                            null);
                    return mongo.updateFirst(
                                    Query.query(Criteria.where("_id")
                                            .is(id)
                                            .and("decision.revision")
                                            .is(current.decision().revision())),
                                    new Update()
                                            .set("decision", decision)
                                            .push("history", decision)
                                            .set("publishPending", now),
                                    ModeratedComment.class)
                            .filter(result -> result.getModifiedCount() == 1)
                            .flatMap(result -> mongo.findById(id, ModeratedComment.class))
                            .flatMap(stored -> publish(stored).onErrorResume(ApiProblem.class, ex -> Mono.empty()));
                });
    }

    /**
     * Publishes the stored current decision (with the author's contact while it is held) and clears its pending mark;
     * 503 if Kafka does not acknowledge.
     */
    Mono<Void> publish(ModeratedComment stored) {
        return clients.currentDecisionEvent(stored)
                .timeout(properties.storeTimeout())
                .flatMap(event -> Mono.fromFuture(() -> kafka.send(Topics.COMMENTS_MODERATED, event.commentId(), event))
                        .timeout(properties.publishTimeout()))
                .onErrorMap(e -> new ApiProblem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "The decision is stored (revision " + stored.decision().revision()
                                + ") but Kafka did not acknowledge it;"
                                + " it will be published automatically within seconds. Do not repeat the request.",
                        List.of(),
                        Map.of("decision", stored.decision())))
                .then(mongo.updateFirst(
                        Query.query(Criteria.where("_id")
                                .is(stored.id())
                                .and("decision.revision")
                                .is(stored.decision().revision())),
                        new Update().unset("publishPending"),
                        ModeratedComment.class))
                .then();
    }

    /** Sends every human decision still pending after {@code moderation.republish-after}. */
    Mono<Long> republishPending() {
        Instant before = clock.instant().minus(properties.republishAfter());
        return mongo.find(
                        Query.query(Criteria.where("publishPending").lte(before))
                                .limit(100),
                        ModeratedComment.class)
                .concatMap(comment -> publish(comment)
                        .doOnSuccess(done -> {
                            try (var commentId = MDC.putCloseable(CommentIdLogging.MDC_KEY, comment.id())) {
                                log.info(
                                        "Comment {}: re-published its pending decision revision {}",
                                        comment.id(),
                                        comment.decision().revision());
                            }
                        })
                        .thenReturn(1L)
                        .onErrorResume(e -> Mono.just(0L)))
                .reduce(0L, Long::sum);
    }

    /**
     * The re-publisher asks every few seconds for the marked decisions: without this index it would read every stored
     * comment each time. Sparse: only the few marked ones are in it.
     */
    @Bean
    static CollectionIndexes pendingDecisionIndexes() {
        return CollectionIndexes.on(
                ModeratedComment.class,
                new Index().on("publishPending", Sort.Direction.ASC).sparse());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration period =
                Duration.ofMillis(Math.max(1_000, properties.republishAfter().toMillis() / 2));
        tasks.addFixedDelayTask(new FixedDelayTask(this::republishPendingNow, period, period));
    }

    private void republishPendingNow() {
        try {
            republishPending()
                    .block(properties
                            .publishTimeout()
                            .plus(properties.storeTimeout())
                            .multipliedBy(10));
        } catch (RuntimeException e) {
            log.warn("Re-publishing pending decisions failed: {}", e.getClass().getName());
        }
    }

    /** Claims the comment for the moderator (or extends their claim); 409 if another moderator holds it. */
    Mono<ModeratedComment.Claim> claim(String id, String moderator) {
        Instant now = ModeratedComment.millis(clock.instant());
        var claim = new ModeratedComment.Claim(moderator, now.plus(properties.claimDuration()));
        Criteria where = Criteria.where("_id")
                .is(id)
                .orOperator(
                        Criteria.where("claim").is(null),
                        Criteria.where("claim.moderator").is(moderator),
                        Criteria.where("claim.until").lte(now));
        return mongo.updateFirst(Query.query(where), new Update().set("claim", claim), ModeratedComment.class)
                .flatMap(result -> result.getModifiedCount() == 1 || result.getMatchedCount() == 1
                        ? audit.record(
                                        moderator,
                                        "comment.claim",
                                        id,
                                        Map.of("until", claim.until().toString()))
                                .doOnSuccess(recorded -> events.claimed(id, moderator, claim.until()))
                                .thenReturn(claim)
                        : mongo.findById(id, ModeratedComment.class)
                                .switchIfEmpty(Mono.error(
                                        () -> ApiProblem.notFound("No comment with id " + id + " has been moderated.")))
                                .flatMap(current -> Mono.error(claimed(current))));
    }

    /** Gives up the moderator's own claim. */
    Mono<Void> release(String id, String moderator) {
        return mongo.updateFirst(
                        Query.query(Criteria.where("_id")
                                .is(id)
                                .and("claim.moderator")
                                .is(moderator)),
                        new Update().unset("claim"),
                        ModeratedComment.class)
                .flatMap(result -> result.getModifiedCount() == 1
                        ? audit.record(moderator, "comment.release", id, Map.of())
                                .doOnSuccess(recorded -> events.released(id, moderator))
                                .then()
                        : Mono.error(new ApiProblem(HttpStatus.NOT_FOUND, "You hold no claim on comment " + id + ".")));
    }

    /**
     * A ban of an address finds the comments by the address's key, so also those whose client data is gone; a ban of
     * a domain, an IP address or a network finds them by their client data, so only while it is held
     * ({@code moderation.privacy.client-data-retention}).
     */
    @Override
    public Mono<Report> rejectAllCaughtBy(Ban ban, String moderator) {
        Flux<ModeratedComment> caught = switch (ban.type()) {
            case EMAIL ->
                mongo.find(Query.query(catchable().and("emailKey").is(keys.of(ban.value()))), ModeratedComment.class);
            case DOMAIN, IP, CIDR ->
                (ban.type() == Ban.Type.DOMAIN ? clients.withEmailDomain(ban.value()) : clients.withIp())
                        .filter(client -> ban.matches(client.email(), client.clientIp()))
                        .map(CommentClient::id)
                        .buffer(100)
                        .concatMap(ids ->
                                mongo.find(Query.query(catchable().and("_id").in(ids)), ModeratedComment.class));
        };
        List<String> rejected = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        return caught.concatMap(comment -> decide(
                                comment.id(),
                                Action.REJECT,
                                "Banned: " + ban.reason(),
                                comment.decision().revision(),
                                moderator,
                                true)
                        .doOnNext(done -> rejected.add(done.id()))
                        .onErrorResume(e -> {
                            failed.add(new Failure(
                                    comment.id(),
                                    e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
                            return Mono.empty();
                        }))
                .then(Mono.fromSupplier(() -> new Report(List.copyOf(rejected), List.copyOf(failed))));
    }

    /** The comments a ban rejects: the held and the published ones. */
    private static Criteria catchable() {
        return Criteria.where("decision.outcome")
                .in(CommentModerated.Outcome.HELD.name(), CommentModerated.Outcome.APPROVED.name());
    }

    private static ApiProblem conflict(ModeratedComment current, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail, List.of(), Map.of("decision", current.decision()));
    }

    private static ApiProblem claimed(ModeratedComment current) {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (current.claim() != null) {
            properties.put("claim", current.claim());
        }
        return new ApiProblem(
                HttpStatus.CONFLICT,
                "Another moderator is reviewing this comment"
                        + (current.claim() == null
                                ? "."
                                : " until " + current.claim().until() + "."),
                List.of(),
                properties);
    }
}
