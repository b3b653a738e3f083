package dev.talkback.notification.subscription;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The state of each recipient address, one document per address in collection {@code recipients}, keyed by the
 * address hash (no address is stored here): when it confirmed the address (one double opt-in for every kind of
 * mail that needs one: replies, "published", "rejected"), which kinds of mail it
 * unsubscribed from, whether it bounced. Every change is one atomic single-document upsert; it survives restarts
 * and is shared by all instances.
 */
@Component
public class Recipients {

    /** Reply notifications: a kind of mail that needs a confirmed address (double opt-in). */
    public static final String REPLY_KIND = "reply";

    @Document("recipients")
    record Recipient(
            @Id String id,
            @Nullable Instant confirmedAt,
            @Nullable List<String> unsubscribed,
            @Nullable Instant bouncedAt) {}

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    Recipients(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.mongo = mongo;
        this.timeout = properties.timeouts().store();
    }

    /** The recipient's state, or an empty one; blocking (dispatcher and listener threads). */
    public State state(String recipientHash) {
        Recipient recipient = mongo.findById(recipientHash, Recipient.class).block(timeout);
        return recipient == null
                ? new State(false, List.of(), false)
                : new State(
                        recipient.confirmedAt() != null,
                        recipient.unsubscribed() == null ? List.of() : recipient.unsubscribed(),
                        recipient.bouncedAt() != null);
    }

    /** What an address agreed to. */
    public record State(boolean confirmed, List<String> unsubscribed, boolean bounced) {

        public boolean unsubscribedFrom(String kind) {
            return unsubscribed.contains(kind) || unsubscribed.contains("all");
        }
    }

    public Mono<Void> confirm(String recipientHash) {
        return mongo.findAndModify(
                        query(where("_id").is(recipientHash).and("confirmedAt").isNull()),
                        new Update().set("confirmedAt", clock.instant()),
                        FindAndModifyOptions.options().upsert(true),
                        Recipient.class)
                .onErrorResume(org.springframework.dao.DuplicateKeyException.class, alreadyConfirmed -> Mono.empty())
                .then();
    }

    Mono<Void> unsubscribe(String recipientHash, String kind) {
        return mongo.upsert(
                        query(where("_id").is(recipientHash)),
                        new Update().addToSet("unsubscribed", kind),
                        Recipient.class)
                .then();
    }

    /** Blocking: marks an address that the mail server refused for good; it gets no more mail. */
    public void markBounced(String recipientHash) {
        mongo.upsert(
                        query(where("_id").is(recipientHash)),
                        new Update().set("bouncedAt", clock.instant()),
                        Recipient.class)
                .block(timeout);
    }
}
