package dev.talkback.moderation.comments;

import java.util.Collection;
import java.util.function.Function;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/** Documents stored by id, each in place of the one with its id or as a new one, in one unordered bulk write. */
final class BulkReplace {

    private BulkReplace() {}

    static <T> Mono<Void> byId(
            ReactiveMongoTemplate mongo, String collection, Collection<T> documents, Function<T, String> id) {
        if (documents.isEmpty()) {
            return Mono.empty();
        }
        var bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, collection);
        documents.forEach(document -> bulk.replaceOne(
                Query.query(Criteria.where("_id").is(id.apply(document))),
                document,
                FindAndReplaceOptions.options().upsert()));
        return bulk.execute().then();
    }
}
