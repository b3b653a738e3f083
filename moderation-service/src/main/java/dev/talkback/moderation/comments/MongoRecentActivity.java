package dev.talkback.moderation.comments;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.talkback.engine.RecentActivity;
import dev.talkback.moderation.ModerationProperties;

/**
 * Recent comments for the engine's duplicate and flood checks, from the {@code comments} collection, so the limits
 * hold across instances. Every query has an equality on one indexed field ({@code emailKey}, {@code clientIp},
 * {@code fingerprint.exact} or {@code fingerprint.bands}) and a range on {@code submittedAt}; only single-field
 * indexes, which mongo-java-server supports too.
 */
@Component
class MongoRecentActivity implements RecentActivity, InitializingBean {

    /**
     * Candidates read at most, newest first. A campaign of thousands of copies needs only a few to be recognised; but
     * an 8-bit band is shared by chance with about 3 % of all comments, so the limit must leave room for those.
     */
    static final int MAX_CANDIDATES = 1_000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MongoRecentActivity.class);

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    MongoRecentActivity(ReactiveMongoTemplate mongo, ModerationProperties properties) {
        this.mongo = mongo;
        this.timeout = properties.storeTimeout();
    }

    @Override
    public void afterPropertiesSet() {
        var indexes = mongo.indexOps(ModeratedComment.class);
        Flux.just("emailKey", "clientIp", "fingerprint.exact", "fingerprint.bands", "submittedAt", "label")
                .concatMap(field -> indexes.createIndex(new Index().on(field, Sort.Direction.ASC)))
                // in the background: a store that is down at start-up must not stop the service from starting
                .subscribe(null, e -> log.warn("Could not create the indexes of recent activity: {}", e.toString()));
    }

    @Override
    public Snapshot lookup(Probe probe) {
        Mono<Long> byEmail = probe.email() == null ? Mono.just(0L)
                : mongo.count(Query.query(Criteria.where("emailKey").is(probe.email().toLowerCase(Locale.ROOT))
                        .and("submittedAt").gte(probe.floodSince())), ModeratedComment.class);
        Mono<Long> byIp = probe.ip() == null ? Mono.just(0L)
                : mongo.count(Query.query(Criteria.where("clientIp").is(probe.ip())
                        .and("submittedAt").gte(probe.floodSince())), ModeratedComment.class);
        var fingerprint = probe.fingerprint();
        Query similar = Query.query(new Criteria().orOperator(
                        Criteria.where("fingerprint.exact").is(fingerprint.exact()),
                        Criteria.where("fingerprint.bands").in(fingerprint.bands()))
                .and("submittedAt").gte(probe.duplicateSince()))
                .with(Sort.by(Sort.Direction.DESC, "submittedAt"))
                .limit(MAX_CANDIDATES);
        similar.fields().include("articleId", "emailKey", "fingerprint");
        Mono<List<PastComment>> candidates = mongo.find(similar, ModeratedCommentFingerprint.class, "comments")
                .filter(found -> found.fingerprint() != null)
                .map(found -> new PastComment(found.id(), found.articleId(), found.emailKey(),
                        found.fingerprint().toEngine()))
                .collectList();
        var answer = Mono.zip(byEmail, byIp, candidates).block(timeout);
        if (answer == null) {
            throw new IllegalStateException("No answer from the store about recent comments");
        }
        return new Snapshot(answer.getT1().intValue(), answer.getT2().intValue(), answer.getT3());
    }

    /** The part of a stored comment that duplicate checks read. */
    record ModeratedCommentFingerprint(String id, @Nullable String articleId, @Nullable String emailKey,
            ModeratedComment.@Nullable Fingerprint fingerprint) {
    }
}
