package dev.talkback.moderation.comments;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Brings what earlier versions stored in line with the privacy rules, at every start, in the background (retried with
 * back-off until it went through; idempotent, so instances starting together do no harm):
 *
 * <ul>
 *   <li>the TTL index of {@code comment_clients} gets the configured retention if it was created with another one
 *       ({@link CommentClients#applyRetention()}); tried once before the indexes are created, so that they are not
 *       refused for it;
 *   <li>a comment that holds its author's address ({@code author.email}, or {@code emailKey} as the address in lower
 *       case), IP address or user agent gets them moved to its {@link CommentClient} (stored at its submission time,
 *       so that the retention counts from then; none when that is past), its {@code emailKey} becomes the key of the
 *       address, and the fields are removed: author history, floods and duplicate checks keep matching after the
 *       upgrade;
 *   <li>duplicate-check entries keyed by the address get its key;
 *   <li>notices of illegal content get the key of their notifier's address, by which an export or erasure finds them;
 *   <li>flood counters kept by the address or IP address itself are removed ({@link FloodCounters#removeUnkeyed()}).
 * </ul>
 *
 * Finding the old comments reads the whole {@code comments} collection once per start (few fields of each).
 */
@Component
class ClientDataUpgrade implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClientDataUpgrade.class);

    private final ReactiveMongoTemplate mongo;
    private final CommentClients clients;
    private final FloodCounters floods;
    private final AddressKeys keys;
    private final Clock clock;
    private final Duration retention;
    private final Duration timeout;
    private volatile @Nullable Disposable running;

    ClientDataUpgrade(
            ReactiveMongoTemplate mongo,
            CommentClients clients,
            FloodCounters floods,
            AddressKeys keys,
            Clock clock,
            ModerationProperties properties) {
        this.mongo = mongo;
        this.clients = clients;
        this.floods = floods;
        this.keys = keys;
        this.clock = clock;
        this.retention = properties.privacy().clientDataRetention();
        this.timeout = properties.storeTimeout();
    }

    @Override
    public void start() {
        try {
            clients.applyRetention().block(timeout);
        } catch (RuntimeException storeNotReady) {
            // done in the background below; meanwhile creating the index may fail and be retried
            log.warn("Could not check the retention of the client data yet: {}", storeNotReady.toString());
        }
        running = clients.applyRetention()
                .then(upgrade())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofMinutes(1)))
                .subscribe(
                        moved -> {
                            if (moved > 0) {
                                log.info(
                                        "Moved the address, IP address and user agent of {} comments stored by an"
                                                + " earlier version to comment_clients, and keyed their addresses",
                                        moved);
                            }
                        },
                        failure -> log.error("Gave up upgrading the stored personal data", failure));
    }

    /** Starts before the indexes are created ({@code StoreIndexes}, in the default phase). */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }

    @Override
    public void stop() {
        Disposable upgrade = running;
        if (upgrade != null) {
            upgrade.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable upgrade = running;
        return upgrade != null && !upgrade.isDisposed();
    }

    /** Upgrades what is there; returns how many comments it changed. */
    Mono<Long> upgrade() {
        Query old = Query.query(new Criteria()
                .orOperator(
                        Criteria.where("author.email").exists(true),
                        Criteria.where("clientIp").exists(true),
                        Criteria.where("userAgent").exists(true),
                        Criteria.where("emailKey").regex("@")));
        old.fields()
                .include("emailKey")
                .include("author.email")
                .include("clientIp")
                .include("userAgent")
                .include("submittedAt");
        return mongo.find(old, Document.class, mongo.getCollectionName(ModeratedComment.class))
                .concatMap(comment -> upgrade(comment).thenReturn(comment))
                .count()
                .flatMap(moved -> upgradeFingerprints()
                        .then(upgradeNotices())
                        .then(floods.removeUnkeyed())
                        .thenReturn(moved));
    }

    /** Upgrades one comment as read (its fields, as the query of {@link #upgrade()} gives them). */
    Mono<Void> upgrade(Document comment) {
        String id = comment.getString("_id");
        Object storedKey = comment.get("emailKey");
        Document author = comment.get("author", Document.class);
        String email = author != null && author.getString("email") != null
                ? author.getString("email")
                : storedKey instanceof String key && key.contains("@") ? key : null;
        String clientIp = comment.getString("clientIp");
        String userAgent = comment.getString("userAgent");
        Date submittedAt = comment.getDate("submittedAt");
        Instant storedAt = submittedAt == null ? clock.instant() : submittedAt.toInstant();
        boolean kept = storedAt.plus(retention).isAfter(clock.instant())
                && (email != null || clientIp != null || userAgent != null);
        Update update = new Update().unset("author.email").unset("clientIp").unset("userAgent");
        if (email != null) {
            update = update.set("emailKey", keys.of(email));
        }
        // only if no erasure came in between: one removes the key, and with it the client data
        Query unchanged =
                Query.query(Criteria.where("_id").is(id).and("emailKey").is(storedKey));
        return (kept
                        ? clients.storeIfAbsent(new CommentClient(id, email, clientIp, userAgent, storedAt))
                        : Mono.<Void>empty())
                .then(mongo.updateFirst(unchanged, update, ModeratedComment.class))
                .flatMap(result -> result.getMatchedCount() == 1 ? Mono.empty() : removeClientIfErased(id))
                .timeout(timeout)
                .then();
    }

    /** The comment changed meanwhile: another instance upgraded it (nothing to do), or it was erased. */
    private Mono<Void> removeClientIfErased(String id) {
        return mongo.exists(
                        Query.query(Criteria.where("_id").is(id).and("emailKey").ne(null)), ModeratedComment.class)
                .flatMap(keyed -> keyed ? Mono.empty() : clients.remove(id));
    }

    private Mono<Long> upgradeNotices() {
        Query old = Query.query(
                Criteria.where("notice.email").ne(null).and("notice.emailKey").exists(false));
        old.fields().include("notice.email");
        return mongo.find(old, Document.class, Report.COLLECTION)
                .concatMap(report -> {
                    String email = report.get("notice", Document.class).getString("email");
                    return mongo.updateFirst(
                                    Query.query(Criteria.where("_id")
                                            .is(report.get("_id"))
                                            .and("notice.email")
                                            .is(email)),
                                    new Update().set("notice.emailKey", keys.of(email)),
                                    Report.COLLECTION)
                            .timeout(timeout);
                })
                .count();
    }

    private Mono<Long> upgradeFingerprints() {
        Query old = Query.query(Criteria.where("emailKey").regex("@"));
        old.fields().include("emailKey");
        return mongo.find(old, Document.class, RecentFingerprints.COLLECTION)
                .concatMap(entry -> mongo.updateFirst(
                                Query.query(Criteria.where("_id")
                                        .is(entry.get("_id"))
                                        .and("emailKey")
                                        .is(entry.getString("emailKey"))),
                                new Update().set("emailKey", keys.of(entry.getString("emailKey"))),
                                RecentFingerprints.COLLECTION)
                        .timeout(timeout))
                .count();
    }
}
