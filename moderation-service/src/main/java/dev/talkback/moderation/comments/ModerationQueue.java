package dev.talkback.moderation.comments;

import dev.talkback.engine.ModerationEngine;
import dev.talkback.events.CommentModerated;
import dev.talkback.support.privacy.AddressKeys;
import dev.talkback.support.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The moderators' view of the comments: filtered, ordered (oldest first by default), paged.
 *
 * <p>In the order by submission, the cursor is the position (submission time, id) of the last item of a page, encoded
 * opaquely; the next page starts strictly after it. So a page never repeats or skips an item that was already there,
 * whatever arrives or is decided meanwhile (a new comment, oldest first, shows up on a later page).
 */
@Component
class ModerationQueue {

    /**
     * Comments a filter by IP address considers at most: the newest from that address whose client data is still held
     * (the IP is kept in {@link CommentClients} only).
     */
    static final int MAX_BY_IP = 1_000;

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final AddressKeys keys;
    private final CommentClients clients;

    ModerationQueue(ReactiveMongoTemplate mongo, Clock clock, AddressKeys keys, CommentClients clients) {
        this.mongo = mongo;
        this.clock = clock;
        this.keys = keys;
        this.clients = clients;
    }

    /** Which comments a moderator asks for. */
    enum Status {
        HELD,
        APPROVED,
        REJECTED,
        /** Published, and reported by readers until a moderator decides ({@link ModeratedComment.Reported}). */
        REPORTED,
        /** Rejected, and its author asked for a human review that no moderator gave yet. */
        APPEALED,
        ALL
    }

    /**
     * The order of a page: by submission, oldest (the default: first come, first served) or newest first; or most likely
     * spam or most abusive first (the engine's score; comments without one, such as older ones, come last).
     */
    enum Order {
        OLDEST,
        NEWEST,
        SPAM,
        ABUSE
    }

    record Filter(
            Status status,
            @Nullable String articleId,
            @Nullable String reason,
            @Nullable String email,
            @Nullable String ip,
            @Nullable Instant from,
            @Nullable Instant to) {}

    record Page(List<ModeratedComment> items, @Nullable String next) {}

    Mono<Page> page(Filter filter, Order order, int limit, @Nullable String cursor) {
        if (filter.ip() == null) {
            return page(filter, null, order, limit, cursor);
        }
        return clients.idsFrom(filter.ip(), MAX_BY_IP)
                .collectList()
                .flatMap(fromIp -> page(filter, fromIp, order, limit, cursor));
    }

    /** @param fromIp with a filter by IP address, the comments sent from it */
    private Mono<Page> page(
            Filter filter, @Nullable List<String> fromIp, Order order, int limit, @Nullable String cursor) {
        List<Criteria> criteria = new ArrayList<>();
        if (filter.status() == Status.REPORTED) {
            criteria.add(reported());
        } else if (filter.status() == Status.APPEALED) {
            criteria.add(appealed());
        } else if (filter.status() != Status.ALL) {
            criteria.add(Criteria.where("decision.outcome").is(filter.status().name()));
        }
        if (filter.articleId() != null) {
            criteria.add(Criteria.where("articleId").is(filter.articleId()));
        }
        if (filter.reason() != null) {
            criteria.add(Criteria.where("decision.reasons.ruleId").is(filter.reason()));
        }
        if (filter.email() != null) {
            // any spelling that differs only in case has the same key
            criteria.add(Criteria.where("emailKey").is(keys.of(filter.email())));
        }
        if (fromIp != null) {
            criteria.add(Criteria.where("_id").in(fromIp));
        }
        if (filter.from() != null) {
            criteria.add(Criteria.where("submittedAt").gte(filter.from()));
        }
        if (filter.to() != null) {
            criteria.add(Criteria.where("submittedAt").lt(filter.to()));
        }
        Cursor after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor, order);
        if (after instanceof Position position) {
            criteria.add(
                    order == Order.NEWEST
                            ? new Criteria()
                                    .orOperator(
                                            Criteria.where("submittedAt").lt(position.submittedAt()),
                                            Criteria.where("submittedAt")
                                                    .is(position.submittedAt())
                                                    .and("_id")
                                                    .lt(position.id()))
                            : new Criteria()
                                    .orOperator(
                                            Criteria.where("submittedAt").gt(position.submittedAt()),
                                            Criteria.where("submittedAt")
                                                    .is(position.submittedAt())
                                                    .and("_id")
                                                    .gt(position.id())));
        }
        Criteria where = criteria.isEmpty() ? new Criteria() : new Criteria().andOperator(criteria);
        Query query = Query.query(where)
                .with(
                        switch (order) {
                            case OLDEST -> Sort.by("submittedAt", "_id");
                            case NEWEST -> Sort.by(Sort.Direction.DESC, "submittedAt", "_id");
                            case SPAM ->
                                Sort.by(
                                        Sort.Order.desc("decision.scores." + ModerationEngine.SPAM_SCORE),
                                        Sort.Order.asc("submittedAt"),
                                        Sort.Order.asc("_id"));
                            case ABUSE ->
                                Sort.by(
                                        Sort.Order.desc("decision.scores." + ModeratedComment.HIGHEST_ABUSE_SCORE),
                                        Sort.Order.asc("submittedAt"),
                                        Sort.Order.asc("_id"));
                        })
                .limit(limit + 1);
        int skipped = after instanceof Offset offset ? offset.skip() : 0;
        query.skip(skipped);
        return mongo.find(query, ModeratedComment.class).collectList().map(found -> {
            if (found.size() <= limit) {
                return new Page(found, null);
            }
            List<ModeratedComment> items = found.subList(0, limit);
            ModeratedComment last = items.get(limit - 1);
            Cursor next = order == Order.OLDEST || order == Order.NEWEST
                    ? new Position(last.submittedAt(), last.id())
                    : new Offset(skipped + limit);
            return new Page(List.copyOf(items), next.encode());
        });
    }

    /** How many of the author's comments were approved and rejected, by the key of their address. */
    Mono<AuthorHistory> historyOf(String emailKey) {
        return Mono.zip(
                        mongo.count(
                                Query.query(Criteria.where("emailKey")
                                        .is(emailKey)
                                        .and("decision.outcome")
                                        .is(CommentModerated.Outcome.APPROVED.name())),
                                ModeratedComment.class),
                        mongo.count(
                                Query.query(Criteria.where("emailKey")
                                        .is(emailKey)
                                        .and("decision.outcome")
                                        .is(CommentModerated.Outcome.REJECTED.name())),
                                ModeratedComment.class))
                .map(counts -> new AuthorHistory(counts.getT1(), counts.getT2()));
    }

    record AuthorHistory(long approved, long rejected) {}

    /** The comments with an open appeal; the sparse index on {@code appeal.since} serves it. */
    private static Criteria appealed() {
        return Criteria.where("appeal.since")
                .exists(true)
                .and("appeal.resolvedAt")
                .is(null);
    }

    /** The comments in the reported queue; the sparse index on {@code reported.since} serves it. */
    private static Criteria reported() {
        return Criteria.where("reported.since").exists(true);
    }

    /**
     * Comments per current outcome ({@code HELD}, {@code APPROVED}, {@code REJECTED}), in all ({@code ALL}), and in the
     * reported queue ({@code REPORTED}, among the approved) and the appealed one ({@code APPEALED}, among the
     * rejected).
     */
    Mono<Map<String, Long>> counts() {
        return Flux.fromArray(CommentModerated.Outcome.values())
                .concatMap(outcome -> mongo.count(
                                Query.query(Criteria.where("decision.outcome").is(outcome.name())),
                                ModeratedComment.class)
                        .map(count -> Map.entry(outcome.name(), count)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new)
                .zipWith(mongo.count(Query.query(reported()), ModeratedComment.class))
                .zipWith(mongo.count(Query.query(appealed()), ModeratedComment.class))
                .map(found -> {
                    Map<String, Long> perOutcome = found.getT1().getT1();
                    Map<String, Long> all = new LinkedHashMap<>(perOutcome);
                    all.put(
                            Status.ALL.name(),
                            perOutcome.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum());
                    all.put(Status.REPORTED.name(), found.getT1().getT2());
                    all.put(Status.APPEALED.name(), found.getT2());
                    return all;
                });
    }

    /**
     * Counts per status, the held queue and its oldest item, current decisions per reason, and the comments of each of
     * the last {@value #DAYS} days (UTC) by their current outcome.
     */
    Mono<Stats> stats() {
        Instant now = clock.instant();
        Mono<List<Instant>> oldestHeld = mongo.find(
                        Query.query(Criteria.where("decision.outcome").is(CommentModerated.Outcome.HELD.name()))
                                .with(Sort.by("submittedAt"))
                                .limit(1),
                        ModeratedComment.class)
                .map(ModeratedComment::submittedAt)
                .collectList();
        Mono<Map<String, Long>> perReason = mongo.aggregate(
                        Aggregation.newAggregation(
                                Aggregation.unwind("decision.reasons"),
                                Aggregation.group("decision.reasons.ruleId")
                                        .count()
                                        .as("count")),
                        "comments",
                        Document.class)
                .collectMap(
                        doc -> String.valueOf(doc.get("_id")),
                        doc -> ((Number) doc.get("count")).longValue(),
                        java.util.TreeMap::new);
        return Mono.zip(counts(), oldestHeld, perReason, perDay(now)).map(all -> {
            Map<String, Long> counts = new LinkedHashMap<>(all.getT1());
            counts.remove(Status.ALL.name());
            @Nullable
            Instant oldest = all.getT2().isEmpty() ? null : all.getT2().get(0);
            return new Stats(
                    counts,
                    counts.getOrDefault(CommentModerated.Outcome.HELD.name(), 0L),
                    oldest,
                    oldest == null ? null : Duration.between(oldest, now).toSeconds(),
                    all.getT3(),
                    all.getT4());
        });
    }

    static final int DAYS = 30;

    /**
     * Per day, oldest first, what became of that day's comments: three counts a day on the indexed submission time,
     * rather than reading a month of comments.
     */
    private Mono<List<Day>> perDay(Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        return Flux.range(0, DAYS)
                .map(back -> today.minusDays(DAYS - 1 - back))
                .concatMap(date -> {
                    Instant from = date.atStartOfDay(ZoneOffset.UTC).toInstant();
                    Instant to = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    return Flux.fromArray(CommentModerated.Outcome.values())
                            .concatMap(outcome -> mongo.count(
                                            Query.query(Criteria.where("submittedAt")
                                                    .gte(from)
                                                    .lt(to)
                                                    .and("decision.outcome")
                                                    .is(outcome.name())),
                                            ModeratedComment.class)
                                    .map(count -> Map.entry(outcome, count)))
                            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                            .map(counts -> new Day(
                                    date,
                                    counts.getOrDefault(CommentModerated.Outcome.HELD, 0L),
                                    counts.getOrDefault(CommentModerated.Outcome.APPROVED, 0L),
                                    counts.getOrDefault(CommentModerated.Outcome.REJECTED, 0L)));
                })
                .collectList();
    }

    /**
     * @param perStatus              comments per current outcome
     * @param queueSize              held comments
     * @param oldestHeldSubmittedAt  when the oldest held comment was posted, or {@code null}
     * @param oldestHeldAgeSeconds   how long it has waited, or {@code null}
     * @param decisionsPerReason     current decisions per rule id
     * @param perDay                 the comments posted on each of the last 30 days (UTC) by current outcome, oldest
     *                               day first
     */
    record Stats(
            Map<String, Long> perStatus,
            long queueSize,
            @Nullable Instant oldestHeldSubmittedAt,
            @Nullable Long oldestHeldAgeSeconds,
            Map<String, Long> decisionsPerReason,
            List<Day> perDay) {}

    /** The comments posted on one day (UTC), by their current outcome. */
    record Day(LocalDate date, long held, long approved, long rejected) {}

    /**
     * Where the next page starts, opaque to clients. By submission: the position (submittedAt, id) of the last item
     * given, so a page never repeats or skips an item whatever is decided meanwhile. By score: how many items were
     * given (a score order has no stable position to resume from; an item decided meanwhile may shift the rest by one).
     */
    sealed interface Cursor {

        String text();

        default String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text().getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor, Order order) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                boolean byScore = order == Order.SPAM || order == Order.ABUSE;
                if (byScore != text.startsWith("#")) {
                    throw new IllegalArgumentException("a cursor of another order");
                }
                if (byScore) {
                    int skip = Integer.parseInt(text.substring(1));
                    if (skip < 0) {
                        throw new IllegalArgumentException("negative");
                    }
                    return new Offset(skip);
                }
                int colon = text.indexOf(':');
                return new Position(
                        Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))), text.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new ApiProblem(
                        org.springframework.http.HttpStatus.BAD_REQUEST,
                        "The cursor is not valid.",
                        List.of(new ApiProblem.FieldProblem("cursor", "is not a cursor this API gave for this sort")),
                        Map.of());
            }
        }
    }

    /** A place in the order by submission (submittedAt, id). */
    record Position(Instant submittedAt, String id) implements Cursor {

        @Override
        public String text() {
            return submittedAt.toEpochMilli() + ":" + id;
        }
    }

    /** How many items of an order by score were given. */
    record Offset(int skip) implements Cursor {

        @Override
        public String text() {
            return "#" + skip;
        }
    }
}
