package dev.talkback.moderation.comments;

import dev.talkback.engine.AuthorHistory;
import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
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
        var counts = counts(keys.of(email)).block(timeout);
        return counts == null ? Record.NONE : counts;
    }

    /**
     * Within a poll ({@link BatchActivity}), answered from the history it read for all its authors; otherwise sent at
     * once. A store that does not answer within the store timeout fails it with a timeout (an outage).
     */
    @Override
    public CompletionStage<Record> ofAsync(String email) {
        BatchActivity batch = BatchActivity.current();
        String key = keys.of(email);
        @Nullable Record read = batch == null ? null : batch.storedHistory(key);
        CompletionStage<Record> stored = read != null
                ? CompletableFuture.completedFuture(read)
                : counts(key).timeout(timeout).defaultIfEmpty(Record.NONE).toFuture();
        if (batch == null) {
            return stored;
        }
        // the author's comments decided earlier in the same poll are not stored yet, and count all the same
        Record earlier = batch.decidedBy(key);
        return stored.thenApply(
                counts -> new Record(counts.approved() + earlier.approved(), counts.rejected() + earlier.rejected()));
    }

    /**
     * The histories of the authors with these keys, by key, in one query: for a poll's authors. An author with no
     * earlier comment has {@link Record#NONE}. Reads at most {@link BoundedCount#BOUND} comments per author, as the
     * counts one by one do; should the poll's authors have more between them, the answer is empty and each author's
     * history is counted alone.
     */
    Mono<Map<String, Record>> ofAll(Collection<String> emailKeys) {
        if (emailKeys.isEmpty()) {
            return Mono.just(Map.of());
        }
        int bound = BoundedCount.BOUND * emailKeys.size();
        Query query = Query.query(Criteria.where("emailKey")
                        .in(emailKeys)
                        .and("decision.outcome")
                        .in(CommentModerated.Outcome.APPROVED.name(), CommentModerated.Outcome.REJECTED.name()))
                .limit(bound + 1);
        query.fields().include("emailKey").include("decision.outcome");
        return mongo.find(query, Document.class, mongo.getCollectionName(ModeratedComment.class))
                .collectList()
                .map(found -> {
                    if (found.size() > bound) {
                        return Map.of();
                    }
                    Map<String, int[]> counts = new HashMap<>();
                    for (Document comment : found) {
                        int[] byOutcome = counts.computeIfAbsent(comment.getString("emailKey"), any -> new int[2]);
                        String outcome = comment.get("decision", Document.class).getString("outcome");
                        byOutcome[CommentModerated.Outcome.APPROVED.name().equals(outcome) ? 0 : 1]++;
                    }
                    Map<String, Record> histories = new HashMap<>();
                    for (String key : emailKeys) {
                        int[] byOutcome = counts.getOrDefault(key, new int[2]);
                        histories.put(
                                key,
                                new Record(
                                        Math.min(byOutcome[0], BoundedCount.BOUND),
                                        Math.min(byOutcome[1], BoundedCount.BOUND)));
                    }
                    return histories;
                });
    }

    /** The history of the author with the address's key, counted alone. */
    private Mono<Record> counts(String key) {
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
