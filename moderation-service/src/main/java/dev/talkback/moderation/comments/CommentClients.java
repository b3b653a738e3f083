package dev.talkback.moderation.comments;

import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link CommentClient}s: each comment's author address, IP address and user agent, removed by MongoDB
 * {@code moderation.privacy.client-data-retention} after they were stored (TTL index {@value #TTL_INDEX} on
 * {@code storedAt}; MongoDB's TTL monitor runs once a minute, so a document may outlive its time by about that).
 * Everything that needs these values reads them here and does without them once they are gone.
 */
@Component
class CommentClients {

    private static final Logger log = LoggerFactory.getLogger(CommentClients.class);

    static final String TTL_INDEX = "storedAt_ttl";

    private final ReactiveMongoTemplate mongo;
    private final Duration retention;

    CommentClients(ReactiveMongoTemplate mongo, ModerationProperties properties) {
        this.mongo = mongo;
        this.retention = properties.privacy().clientDataRetention();
    }

    /**
     * The TTL index that removes a comment's client data after the retention, and the look-up of a moderator's filter
     * by IP address (newest first).
     */
    @Bean
    static CollectionIndexes commentClientIndexes(ModerationProperties properties) {
        return CollectionIndexes.on(
                CommentClient.COLLECTION,
                ttlIndex(properties.privacy().clientDataRetention()),
                new Index().on("clientIp", Sort.Direction.ASC).on("storedAt", Sort.Direction.DESC));
    }

    private static Index ttlIndex(Duration retention) {
        return new Index().on("storedAt", Sort.Direction.ASC).named(TTL_INDEX).expire(retention);
    }

    /** Stores (or replaces) the client data of comments, in one bulk write. */
    Mono<Void> storeAll(Collection<CommentClient> stored) {
        return BulkReplace.byId(mongo, mongo.getCollectionName(CommentClient.class), stored, CommentClient::id);
    }

    /**
     * Stores a comment's client data unless some is stored: for a redelivered submission, whose first handling may or
     * may not have got this far; what is there is left as it is (its {@code storedAt} too).
     */
    Mono<Void> storeIfAbsent(CommentClient client) {
        Update update = new Update().setOnInsert("storedAt", client.storedAt());
        if (client.email() != null) {
            update = update.setOnInsert("email", client.email());
        }
        if (client.clientIp() != null) {
            update = update.setOnInsert("clientIp", client.clientIp());
        }
        if (client.userAgent() != null) {
            update = update.setOnInsert("userAgent", client.userAgent());
        }
        return mongo.upsert(Query.query(Criteria.where("_id").is(client.id())), update, CommentClient.class)
                .then();
    }

    /** The comment's client data, if it is still held. */
    Mono<CommentClient> of(String id) {
        return mongo.findById(id, CommentClient.class);
    }

    /** The client data still held of the comments, by comment id. */
    Mono<Map<String, CommentClient>> of(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), CommentClient.class)
                .collectMap(CommentClient::id, Function.identity());
    }

    /** The ids of the newest comments (at most {@code limit}) sent from the IP address, as far as it is still held. */
    Flux<String> idsFrom(String ip, int limit) {
        Query query = Query.query(Criteria.where("clientIp").is(ip))
                .with(Sort.by(Sort.Direction.DESC, "storedAt"))
                .limit(limit);
        query.fields().include("_id");
        return mongo.find(query, Document.class, CommentClient.COLLECTION).map(found -> found.getString("_id"));
    }

    /** Every held client data from an address of the domain (case-insensitive), for a ban of the domain. */
    Flux<CommentClient> withEmailDomain(String domain) {
        return mongo.find(
                Query.query(Criteria.where("email").regex("@" + Pattern.quote(domain) + "$", "i")),
                CommentClient.class);
    }

    /** Every held client data with an IP address, for a ban of an IP address or network. */
    Flux<CommentClient> withIp() {
        return mongo.find(Query.query(Criteria.where("clientIp").ne(null)), CommentClient.class);
    }

    /** Removes the comment's client data (nothing if there is none). */
    Mono<Void> remove(String id) {
        return mongo.remove(Query.query(Criteria.where("_id").is(id)), CommentClient.class)
                .then();
    }

    /**
     * The event announcing the comment's current decision, with the author's contact while the address is held; once
     * it is gone (the retention, an erasure) the contact is {@code null}: notification-service sends no mail.
     */
    Mono<CommentModerated> currentDecisionEvent(ModeratedComment comment) {
        return of(comment.id())
                .map(client -> Optional.ofNullable(client.email()))
                .defaultIfEmpty(Optional.empty())
                .map(email -> comment.currentDecisionEvent(email.orElse(null)));
    }

    /** Brings the TTL index in line with the configured retention; see {@link #applyRetention(String, Duration)}. */
    Mono<Void> applyRetention() {
        return applyRetention(CommentClient.COLLECTION, retention);
    }

    /**
     * Gives an existing TTL index {@value #TTL_INDEX} of the collection the retention, when it was created with
     * another one (the setting changed): MongoDB refuses to create an index that exists with other options, so the
     * declared index would never be created and the stored data would keep the old retention. {@code collMod} changes
     * it in place; a store without that command gets the index dropped and created anew.
     */
    Mono<Void> applyRetention(String collection, Duration retention) {
        var indexes = mongo.indexOps(collection);
        return indexes.getIndexInfo()
                .filter(index -> TTL_INDEX.equals(index.getName()))
                .filter(index -> index.getExpireAfter()
                        .map(Duration::toSeconds)
                        .filter(seconds -> seconds == retention.toSeconds())
                        .isEmpty())
                .concatMap(index -> mongo.executeCommand(new Document("collMod", collection)
                                .append(
                                        "index",
                                        new Document("name", TTL_INDEX)
                                                .append("expireAfterSeconds", retention.toSeconds())))
                        .then()
                        .onErrorResume(unsupported -> indexes.dropIndex(TTL_INDEX)
                                .then(indexes.createIndex(ttlIndex(retention)))
                                .then())
                        .doOnSuccess(done -> log.info(
                                "The TTL index of {} now removes a document {} after it was stored (was {})",
                                collection,
                                retention,
                                index.getExpireAfter().map(Duration::toString).orElse("forever"))))
                .then();
    }
}
