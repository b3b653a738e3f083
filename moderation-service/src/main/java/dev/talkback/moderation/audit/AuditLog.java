package dev.talkback.moderation.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Appends to, and reads, the audit log ({@code audit} collection). There is no update or delete. */
@Service
public class AuditLog {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    AuditLog(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Appends one entry; the returned Mono completes when it is stored. */
    public Mono<AuditEntry> record(String who, String action, String target, Map<String, Object> details) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // sortable: newest-first paging by id equals paging by time
        String id = String.format(
                "%013d-%08x", at.toEpochMilli(), ThreadLocalRandom.current().nextInt());
        return mongo.insert(new AuditEntry(id, at, who, action, target, Map.copyOf(details)));
    }

    /** Newest first; {@code before} is the id of the last entry of the previous page. */
    Flux<AuditEntry> entries(int limit, String before, String target, String who) {
        Criteria criteria = new Criteria();
        if (!before.isEmpty()) {
            criteria = criteria.and("_id").lt(before);
        }
        if (!target.isEmpty()) {
            criteria = criteria.and("target").is(target);
        }
        if (!who.isEmpty()) {
            criteria = criteria.and("who").is(who);
        }
        return mongo.find(
                new Query(criteria).with(Sort.by(Sort.Direction.DESC, "_id")).limit(limit), AuditEntry.class);
    }
}
