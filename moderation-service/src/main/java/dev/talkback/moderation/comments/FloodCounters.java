package dev.talkback.moderation.comments;

import com.mongodb.client.result.DeleteResult;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * How many comments each author and each client IP sent per minute, for the flood limits: one document per author or
 * IP ({@code _id} {@code email:<key>} or {@code ip:<key>}, the key of the address or IP address by {@link AddressKeys},
 * so that neither is stored) with a count per minute.
 * Counting a window reads one document by id, however many comments the window holds; counting the comments
 * themselves read one index entry per comment, and on the local stack's embedded store one document per comment
 * (every local client is 127.0.0.1: thousands per lookup). Shared in MongoDB, so the limits hold across instances.
 *
 * <p>A comment is counted once it is stored with its decision; a crash between the two leaves it uncounted, which a
 * flood limit can afford. Minutes older than {@link #RETENTION} are removed when their document is next read, and
 * windows longer than that count only its last {@link #RETENTION}; a document not counted in for {@link #RETENTION}
 * is removed by MongoDB (TTL index on {@code lastAt}).
 */
@Component
class FloodCounters {

    static final String COLLECTION = "floodCounters";
    static final Duration RETENTION = Duration.ofDays(2);
    private static final String MINUTES = "minutes";
    private static final String LAST_AT = "lastAt";

    private final ReactiveMongoTemplate mongo;
    private final AddressKeys keys;

    FloodCounters(ReactiveMongoTemplate mongo, AddressKeys keys) {
        this.mongo = mongo;
        this.keys = keys;
    }

    /** The counters of an author or IP that sent nothing for {@link #RETENTION} count nothing any more. */
    @Bean
    static CollectionIndexes floodCounterIndexes() {
        return CollectionIndexes.on(
                COLLECTION, new Index().on(LAST_AT, Sort.Direction.ASC).expire(RETENTION));
    }

    /** One comment to count: its author's address and its IP (either may be null), and when it was sent. */
    record Sent(@Nullable String email, @Nullable String ip, Instant at) {}

    /**
     * Counts a poll's comments: one upsert per author and per IP, however many comments each sent, in one bulk write.
     */
    Mono<Void> recordAll(Collection<Sent> sent) {
        Map<String, Map<Long, Integer>> perMinute = new LinkedHashMap<>();
        Map<String, Instant> lastAt = new HashMap<>();
        for (Sent one : sent) {
            for (String id : Arrays.asList(emailId(one.email()), ipId(one.ip()))) {
                if (id != null) {
                    perMinute.computeIfAbsent(id, any -> new TreeMap<>()).merge(minute(one.at()), 1, Integer::sum);
                    lastAt.merge(id, one.at(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        if (perMinute.isEmpty()) {
            return Mono.empty();
        }
        var bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, COLLECTION);
        perMinute.forEach((id, counts) -> {
            Update update = new Update().max(LAST_AT, lastAt.get(id));
            counts.forEach((minute, count) -> update.inc(MINUTES + "." + minute, count));
            bulk.upsert(Query.query(Criteria.where("_id").is(id)), update);
        });
        return bulk.execute().then();
    }

    /** Forgets the address's counts (an erasure). */
    Mono<Void> forget(String email) {
        return mongo.remove(Query.query(Criteria.where("_id").is(emailId(email))), COLLECTION)
                .then();
    }

    /**
     * Removes the counters an earlier version kept by the address or IP address itself ({@code email:ada@…},
     * {@code ip:203.0.113.7}): their counts start afresh under the keys, which costs a flood window's memory once.
     */
    Mono<Long> removeUnkeyed() {
        return mongo.remove(Query.query(Criteria.where("_id").regex("^(email|ip):(?![0-9a-f]{64}$)")), COLLECTION)
                .map(DeleteResult::getDeletedCount);
    }

    /** The author's comments since {@code since} (to the minute), as counted so far. */
    Mono<Long> byEmail(@Nullable String email, Instant since) {
        return count(emailId(email), since);
    }

    /** The IP's comments since {@code since} (to the minute), as counted so far. */
    Mono<Long> byIp(@Nullable String ip, Instant since) {
        return count(ipId(ip), since);
    }

    /** The id of the author's counter document, {@code null} for no address. */
    @Nullable
    String emailId(@Nullable String email) {
        return email == null ? null : "email:" + keys.of(email);
    }

    /** The id of the IP's counter document, {@code null} for no IP. */
    @Nullable
    String ipId(@Nullable String ip) {
        return ip == null ? null : "ip:" + keys.of(ip);
    }

    static long minute(Instant at) {
        return at.getEpochSecond() / 60;
    }

    private Mono<Long> count(@Nullable String id, Instant since) {
        if (id == null) {
            return Mono.just(0L);
        }
        return mongo.findById(id, Document.class, COLLECTION)
                .map(counters -> count(counters, since))
                .defaultIfEmpty(0L);
    }

    /**
     * The counter documents of the ids (the keyed ids of {@link #emailId} and {@link #ipId}), by id, in one query:
     * for a poll's submissions, whose counts are then read with {@link #count(Document, Instant)}.
     */
    Mono<Map<String, Document>> counters(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class, COLLECTION)
                .collectMap(counters -> counters.getString("_id"), Function.identity());
    }

    /**
     * The comments the counter document counts since {@code since} (to the minute); minutes older than
     * {@link #RETENTION} are removed from the stored document on the way.
     */
    long count(Document counters, Instant since) {
        long from = minute(since);
        long expired = minute(Instant.now().minus(RETENTION));
        long count = 0;
        List<String> old = new ArrayList<>();
        Object minutes = counters.get(MINUTES);
        if (minutes instanceof Map<?, ?> perMinute) {
            for (var entry : perMinute.entrySet()) {
                long minute = Long.parseLong(String.valueOf(entry.getKey()));
                if (minute >= from && entry.getValue() instanceof Number n) {
                    count += n.longValue();
                }
                if (minute < expired) {
                    old.add(MINUTES + "." + minute);
                }
            }
        }
        if (!old.isEmpty()) {
            Update prune = new Update();
            old.forEach(prune::unset);
            // housekeeping, off the decision's path; a failure is retried at the next read
            mongo.updateFirst(Query.query(Criteria.where("_id").is(counters.get("_id"))), prune, COLLECTION)
                    .subscribe(null, e -> {});
        }
        return count;
    }
}
