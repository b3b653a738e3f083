package dev.talkback.moderation.comments;

import dev.talkback.engine.AuthorHistory;
import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The author's earlier comments by their current decision, counted in MongoDB by the key of the address
 * ({@code emailKey}, indexed; {@link AddressKeys}), so every instance sees the same history; up to
 * {@link BoundedCount#BOUND} each.
 */
@Component
class MongoAuthorHistory implements AuthorHistory {

    private final ReactiveMongoTemplate mongo;
    private final AddressKeys keys;
    private final Duration timeout;

    MongoAuthorHistory(ReactiveMongoTemplate mongo, AddressKeys keys, ModerationProperties properties) {
        this.mongo = mongo;
        this.keys = keys;
        this.timeout = properties.storeTimeout();
    }

    @Override
    public Record of(String email) {
        var counts = counts(email).block(timeout);
        return counts == null ? Record.NONE : counts;
    }

    /** Sent at once; a store that does not answer within the store timeout fails it with a timeout (an outage). */
    @Override
    public CompletionStage<Record> ofAsync(String email) {
        CompletionStage<Record> stored =
                counts(email).timeout(timeout).defaultIfEmpty(Record.NONE).toFuture();
        BatchActivity batch = BatchActivity.current();
        if (batch == null) {
            return stored;
        }
        // the author's comments decided earlier in the same poll are not stored yet, and count all the same
        Record earlier = batch.decidedBy(keys.of(email));
        return stored.thenApply(
                counts -> new Record(counts.approved() + earlier.approved(), counts.rejected() + earlier.rejected()));
    }

    private Mono<Record> counts(String email) {
        String key = keys.of(email);
        return Mono.zip(count(key, CommentModerated.Outcome.APPROVED), count(key, CommentModerated.Outcome.REJECTED))
                .map(counts ->
                        new Record(counts.getT1().intValue(), counts.getT2().intValue()));
    }

    private Mono<Long> count(String key, CommentModerated.Outcome outcome) {
        return BoundedCount.of(
                mongo,
                Query.query(Criteria.where("emailKey")
                        .is(key)
                        .and("decision.outcome")
                        .is(outcome.name())));
    }
}
