package dev.talkback.moderation.comments;

import dev.talkback.engine.AuthorHistory;
import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.ModerationProperties;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The author's earlier comments by their current decision, counted in MongoDB by the lower-cased address
 * ({@code emailKey}, indexed), so every instance sees the same history; up to {@link BoundedCount#BOUND} each.
 */
@Component
class MongoAuthorHistory implements AuthorHistory {

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    MongoAuthorHistory(ReactiveMongoTemplate mongo, ModerationProperties properties) {
        this.mongo = mongo;
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
        return counts(email).timeout(timeout).defaultIfEmpty(Record.NONE).toFuture();
    }

    private Mono<Record> counts(String email) {
        String key = email.toLowerCase(Locale.ROOT);
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
