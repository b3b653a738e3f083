package dev.talkback.moderation.comments;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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

import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.web.ApiProblem;

/**
 * The moderators' view of the comments: filtered, oldest first, paged by keyset.
 *
 * <p>The cursor is the position (submission time, id) of the last item of a page, encoded opaquely; the next page
 * starts strictly after it. So a page never repeats or skips an item that was already there, whatever arrives or is
 * decided meanwhile (a new comment, being newer, shows up on a later page).
 */
@Component
class ModerationQueue {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    ModerationQueue(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Which comments a moderator asks for. */
    enum Status {
        HELD, APPROVED, REJECTED, ALL
    }

    record Filter(Status status, @Nullable String articleId, @Nullable String reason, @Nullable String email,
            @Nullable String ip, @Nullable Instant from, @Nullable Instant to) {
    }

    record Page(List<ModeratedComment> items, @Nullable String next) {
    }

    Mono<Page> page(Filter filter, int limit, @Nullable String cursor) {
        List<Criteria> criteria = new ArrayList<>();
        if (filter.status() != Status.ALL) {
            criteria.add(Criteria.where("decision.outcome").is(filter.status().name()));
        }
        if (filter.articleId() != null) {
            criteria.add(Criteria.where("articleId").is(filter.articleId()));
        }
        if (filter.reason() != null) {
            criteria.add(Criteria.where("decision.reasons.ruleId").is(filter.reason()));
        }
        if (filter.email() != null) {
            criteria.add(Criteria.where("author.email").regex("^" + Pattern.quote(filter.email()) + "$", "i"));
        }
        if (filter.ip() != null) {
            criteria.add(Criteria.where("clientIp").is(filter.ip()));
        }
        if (filter.from() != null) {
            criteria.add(Criteria.where("submittedAt").gte(filter.from()));
        }
        if (filter.to() != null) {
            criteria.add(Criteria.where("submittedAt").lt(filter.to()));
        }
        if (cursor != null && !cursor.isEmpty()) {
            Position after = Position.decode(cursor);
            criteria.add(new Criteria().orOperator(Criteria.where("submittedAt").gt(after.submittedAt()),
                    Criteria.where("submittedAt").is(after.submittedAt()).and("_id").gt(after.id())));
        }
        Criteria where = criteria.isEmpty() ? new Criteria() : new Criteria().andOperator(criteria);
        Query query = Query.query(where).with(Sort.by("submittedAt", "_id")).limit(limit + 1);
        return mongo.find(query, ModeratedComment.class).collectList().map(found -> {
            if (found.size() <= limit) {
                return new Page(found, null);
            }
            List<ModeratedComment> items = found.subList(0, limit);
            ModeratedComment last = items.get(limit - 1);
            return new Page(List.copyOf(items), new Position(last.submittedAt(), last.id()).encode());
        });
    }

    /** How many of the author's comments were approved and rejected (by address, case-insensitive). */
    Mono<AuthorHistory> historyOf(String email) {
        Criteria byAuthor = Criteria.where("author.email").regex("^" + Pattern.quote(email) + "$", "i");
        return Mono.zip(
                mongo.count(Query.query(new Criteria().andOperator(byAuthor,
                        Criteria.where("decision.outcome").is(CommentModerated.Outcome.APPROVED.name()))),
                        ModeratedComment.class),
                mongo.count(Query.query(new Criteria().andOperator(
                        Criteria.where("author.email").regex("^" + Pattern.quote(email) + "$", "i"),
                        Criteria.where("decision.outcome").is(CommentModerated.Outcome.REJECTED.name()))),
                        ModeratedComment.class))
                .map(counts -> new AuthorHistory(counts.getT1(), counts.getT2()));
    }

    record AuthorHistory(long approved, long rejected) {
    }

    /** Counts per status, the held queue and its oldest item, current decisions per reason. */
    Mono<Stats> stats() {
        Instant now = clock.instant();
        Mono<Map<String, Long>> perStatus = Flux.fromArray(CommentModerated.Outcome.values())
                .concatMap(outcome -> mongo.count(Query.query(Criteria.where("decision.outcome").is(outcome.name())),
                        ModeratedComment.class).map(count -> Map.entry(outcome.name(), count)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
        Mono<List<Instant>> oldestHeld = mongo.find(Query.query(Criteria.where("decision.outcome")
                        .is(CommentModerated.Outcome.HELD.name())).with(Sort.by("submittedAt")).limit(1),
                ModeratedComment.class).map(ModeratedComment::submittedAt).collectList();
        Mono<Map<String, Long>> perReason = mongo.aggregate(Aggregation.newAggregation(
                        Aggregation.unwind("decision.reasons"),
                        Aggregation.group("decision.reasons.ruleId").count().as("count")),
                        "comments", Document.class)
                .collectMap(doc -> String.valueOf(doc.get("_id")), doc -> ((Number) doc.get("count")).longValue(),
                        java.util.TreeMap::new);
        return Mono.zip(perStatus, oldestHeld, perReason).map(all -> {
            Map<String, Long> counts = all.getT1();
            @Nullable Instant oldest = all.getT2().isEmpty() ? null : all.getT2().get(0);
            return new Stats(counts, counts.getOrDefault(CommentModerated.Outcome.HELD.name(), 0L), oldest,
                    oldest == null ? null : Duration.between(oldest, now).toSeconds(), all.getT3());
        });
    }

    /**
     * @param perStatus              comments per current outcome
     * @param queueSize              held comments
     * @param oldestHeldSubmittedAt  when the oldest held comment was posted, or {@code null}
     * @param oldestHeldAgeSeconds   how long it has waited, or {@code null}
     * @param decisionsPerReason     current decisions per rule id
     */
    record Stats(Map<String, Long> perStatus, long queueSize, @Nullable Instant oldestHeldSubmittedAt,
            @Nullable Long oldestHeldAgeSeconds, Map<String, Long> decisionsPerReason) {
    }

    /** A place in the order (submittedAt, id). */
    record Position(Instant submittedAt, String id) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (submittedAt.toEpochMilli() + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                return new Position(Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))),
                        text.substring(colon + 1));
            }
            catch (RuntimeException e) {
                throw new ApiProblem(org.springframework.http.HttpStatus.BAD_REQUEST, "The cursor is not valid.",
                        List.of(new ApiProblem.FieldProblem("cursor", "is not a cursor this API gave")), Map.of());
            }
        }
    }
}
