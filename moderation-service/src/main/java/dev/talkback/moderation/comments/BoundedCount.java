package dev.talkback.moderation.comments;

import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/**
 * Counts the comments that match a query, up to a bound, with a find of their ids. The engine compares these counts
 * with limits far below the bound (floods, trust), so counting further would only cost. And a find is served by the
 * index on the query's field everywhere, while {@code count} is an aggregation, which the embedded store of the local
 * stack answers by reading the whole collection.
 */
final class BoundedCount {

    /** Counted at most; far above any flood limit or trust threshold. */
    static final int BOUND = 1_000;

    private BoundedCount() {}

    static Mono<Long> of(ReactiveMongoTemplate mongo, Query query) {
        query.limit(BOUND);
        query.fields().include("_id");
        return mongo.find(query, Document.class, mongo.getCollectionName(ModeratedComment.class))
                .count();
    }
}
