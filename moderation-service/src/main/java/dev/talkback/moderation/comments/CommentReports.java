package dev.talkback.moderation.comments;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentReported;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.support.kafka.CommentIdLogging;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Readers' reports: each is stored once (by its id); once the open reports of a published comment come from
 * {@code threshold} distinct addresses, or {@code noticeThreshold} of them are notices of illegal content, the comment
 * is marked {@link ModeratedComment.Reported} and is in the {@code REPORTED} queue. It stays published until a
 * moderator decides (unless {@code hideWhileReported}: then it is held meanwhile); the decision resolves its open
 * reports. The three are the article's settings, else the site's, else the {@code moderation.reports.*} properties
 * ({@link ActiveRules#reportsFor}), as they are when the report arrives. A report of a comment that is not published
 * (any more) is kept for the record and changes nothing.
 */
@Service
class CommentReports {

    private static final Logger log = LoggerFactory.getLogger(CommentReports.class);
    /** Open reports read to count one comment's reporters: past this many, the comment is long in the queue. */
    private static final int MAX_COUNTED = 1_000;

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final ActiveRules rules;
    private final Duration timeout;
    private final AddressKeys keys;
    /** Lazily: a moderator's decision resolves reports, and reports may hold a comment, so each needs the other. */
    private final ObjectProvider<HumanModeration> moderation;

    CommentReports(
            ReactiveMongoTemplate mongo,
            Clock clock,
            ModerationProperties properties,
            ActiveRules rules,
            AddressKeys keys,
            ObjectProvider<HumanModeration> moderation) {
        this.moderation = moderation;
        this.keys = keys;
        this.mongo = mongo;
        this.clock = clock;
        this.rules = rules;
        this.timeout = properties.storeTimeout();
    }

    /** Returns once the report is stored and counted, so that the offset is committed after the effect. */
    @KafkaListener(topics = Topics.COMMENTS_REPORTED)
    void onReported(CommentReported reported) {
        receive(reported).block(timeout.multipliedBy(3));
    }

    Mono<Void> receive(CommentReported event) {
        Report report = new Report(
                event.reportId(),
                event.commentId(),
                event.articleId(),
                event.reason().name(),
                event.note(),
                event.notice() == null
                        ? null
                        : new Report.Notice(
                                event.notice().explanation(),
                                event.notice().name(),
                                event.notice().email(),
                                event.notice().email() == null
                                        ? null
                                        : keys.of(event.notice().email())),
                event.clientIp(),
                ModeratedComment.millis(event.occurredAt()),
                null,
                null);
        return mongo.insert(report)
                .then(Mono.just(true))
                .onErrorResume(DuplicateKeyException.class, ex -> Mono.just(false))
                .flatMap(stored -> {
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, event.commentId())) {
                        log.info(
                                "Comment {} reported ({}, report {}{})",
                                event.commentId(),
                                event.reason(),
                                event.reportId(),
                                stored ? "" : ", already stored");
                    }
                    return rules.reportsFor(event.articleId()).flatMap(settings -> count(event.commentId(), settings));
                });
    }

    /** Counts the comment's open reports and marks it reported once they reach a threshold. */
    private Mono<Void> count(String commentId, ModerationProperties.Reports settings) {
        Query open = Query.query(Criteria.where("commentId")
                        .is(commentId)
                        .and("resolvedAt")
                        .is(null))
                .limit(MAX_COUNTED);
        return mongo.find(open, Report.class).collectList().flatMap(reports -> {
            Set<String> reporters = new HashSet<>();
            Set<String> notifiers = new HashSet<>();
            Map<String, Integer> reasons = new TreeMap<>();
            for (Report r : reports) {
                // an address counts once; a report without one (none resolved) counts on its own
                String reporter = r.clientIp() != null ? r.clientIp() : "report:" + r.id();
                reporters.add(reporter);
                if (Report.ILLEGAL_CONTENT.equals(r.reason())) {
                    notifiers.add(reporter);
                }
                reasons.merge(r.reason(), 1, Integer::sum);
            }
            if (reporters.size() < settings.threshold() && notifiers.size() < settings.noticeThreshold()) {
                return Mono.empty();
            }
            return mark(commentId, reports.size(), !notifiers.isEmpty(), reasons, settings.hideWhileReported());
        });
    }

    /** Marks a published comment reported (keeping when it first was), or updates its counts. */
    private Mono<Void> mark(
            String commentId, int count, boolean notice, Map<String, Integer> reasons, boolean hideWhileReported) {
        Instant now = ModeratedComment.millis(clock.instant());
        return mongo.updateFirst(
                        Query.query(published(commentId).and("reported").is(null)),
                        new Update().set("reported", new ModeratedComment.Reported(now, count, notice, reasons)),
                        ModeratedComment.class)
                .flatMap(first -> {
                    if (first.getModifiedCount() == 1) {
                        try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, commentId)) {
                            log.info("Comment {} is in the reported queue ({} open reports)", commentId, count);
                        }
                        return hideWhileReported
                                ? moderation.getObject().holdWhileReported(commentId, count)
                                : Mono.empty();
                    }
                    return mongo.updateFirst(
                                    Query.query(
                                            published(commentId).and("reported").ne(null)),
                                    new Update()
                                            .set("reported.reports", count)
                                            .set("reported.notice", notice)
                                            .set("reported.reasons", reasons),
                                    ModeratedComment.class)
                            .then();
                });
    }

    private static Criteria published(String commentId) {
        return Criteria.where("_id").is(commentId).and("decision.outcome").is(CommentModerated.Outcome.APPROVED.name());
    }

    /** A moderator decided on the comment: its open reports are resolved with that outcome. */
    Mono<Void> resolve(String commentId, CommentModerated.Outcome outcome) {
        return mongo.updateMulti(
                        Query.query(Criteria.where("commentId")
                                .is(commentId)
                                .and("resolvedAt")
                                .is(null)),
                        new Update()
                                .set("resolvedAt", ModeratedComment.millis(clock.instant()))
                                .set("resolution", outcome.name()),
                        Report.class)
                .then();
    }

    /** The comment's reports, newest first, at most {@code limit}. */
    Flux<Report> of(String commentId, int limit) {
        return mongo.find(
                Query.query(Criteria.where("commentId").is(commentId))
                        .with(Sort.by(Sort.Direction.DESC, "receivedAt"))
                        .limit(limit),
                Report.class);
    }

    /** Counting and listing a comment's reports reads them by comment. */
    @Bean
    static CollectionIndexes reportIndexes() {
        return CollectionIndexes.on(
                Report.class, new Index().on("commentId", Sort.Direction.ASC).on("receivedAt", Sort.Direction.DESC));
    }

    /** The reported queue reads the few marked comments (sparse: the others are not in the index). */
    @Bean
    static CollectionIndexes reportedQueueIndexes() {
        return CollectionIndexes.on(
                ModeratedComment.class,
                new Index().on("reported.since", Sort.Direction.ASC).sparse());
    }
}
