package dev.talkback.notification.mail;

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
import java.util.concurrent.atomic.AtomicReference;
import org.bson.Document;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * At most {@code notification.mail.rate-limit.max-per-window} mails per recipient per fixed window, counted in
 * MongoDB (collection {@code rate_windows}, one document per address hash and window, incremented atomically),
 * so the limit holds across instances. A mail over the limit is dropped by the caller: postponing it would let
 * anyone who can make the site mail an address pile up mail for it without end.
 * Old windows are deleted as the limiter goes. Each window's id begins with the address key, which is how a person's
 * windows are exported and erased ({@link PersonalData}).
 */
@Component
class RateLimiter implements PersonalData {

    private static final String COLLECTION = "rate_windows";

    private final ReactiveMongoTemplate mongo;
    private final int max;
    private final Duration window;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<Instant> lastCleanup = new AtomicReference<>(Instant.EPOCH);

    RateLimiter(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.mongo = mongo;
        this.max = properties.mail().rateLimit().maxPerWindow();
        this.window = properties.mail().rateLimit().window();
        this.timeout = properties.timeouts().store();
    }

    /** The clean-up deletes the windows that ended: by this index, not by reading every window. */
    @Bean
    static CollectionIndexes rateWindowIndexes() {
        return CollectionIndexes.on(COLLECTION, new Index().on("expiresAt", Sort.Direction.ASC));
    }

    /**
     * Counts one mail to the recipient (its address key, as in the delivery key); {@code false} when it is over the
     * limit of the current window.
     */
    boolean acquire(String recipientHash) {
        Instant now = clock.instant();
        long index = now.toEpochMilli() / window.toMillis();
        Instant windowEnd = Instant.ofEpochMilli((index + 1) * window.toMillis());
        cleanup(now);
        Document counter = mongo.findAndModify(
                        query(where("_id").is(recipientHash + ":" + index)),
                        new Update().inc("count", 1).set("expiresAt", windowEnd),
                        FindAndModifyOptions.options().upsert(true).returnNew(true),
                        Document.class,
                        COLLECTION)
                .block(timeout);
        int count = counter == null ? 1 : ((Number) counter.get("count")).intValue();
        return count <= max;
    }

    private void cleanup(Instant now) {
        Instant last = lastCleanup.get();
        if (now.isAfter(last.plus(window)) && lastCleanup.compareAndSet(last, now)) {
            mongo.remove(query(where("expiresAt").lt(now)), COLLECTION).subscribe();
        }
    }

    @Override
    public String name() {
        return COLLECTION;
    }

    @Override
    public List<Map<String, Object>> export(Person person) {
        List<Document> windows = mongo.find(windowsOf(person), Document.class, COLLECTION)
                .collectList()
                .block(timeout);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Document window : windows == null ? List.<Document>of() : windows) {
            Map<String, Object> record = new LinkedHashMap<>();
            Object end = window.get("expiresAt");
            record.put(
                    "windowEndsAt",
                    end instanceof java.util.Date date ? date.toInstant().toString() : null);
            record.put("mails", window.get("count"));
            records.add(record);
        }
        return records;
    }

    @Override
    public long erase(Person person) {
        var removed = mongo.remove(windowsOf(person), COLLECTION).block(timeout);
        return removed == null ? 0 : removed.getDeletedCount();
    }

    /** A window's id is {@code addressKey:windowNumber}: found by the prefix, which the {@code _id} index serves. */
    private static Query windowsOf(Person person) {
        return query(new Criteria()
                .orOperator(person.keys().stream()
                        .map(key -> where("_id").regex("^" + PersonalData.literal(key) + ":"))
                        .toList()));
    }
}
