package dev.talkback.notification.subscription;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * address key ({@link AddressKeys}; no address is stored here): when it confirmed the address (one double opt-in for
 * every kind of mail that needs one: replies, "published", "rejected"), which kinds of mail it unsubscribed from,
 * whether it bounced. Every change is one atomic single-document upsert; it survives restarts and is shared by all
 * instances.
 *
 * <p>Before {@code notification.privacy.address-secret}, documents were keyed by the bare SHA-256 of the address, and
 * the unsubscribe links already in mailboxes (which never expire) carry that hash. So the state of an address is the
 * union of both documents: an unsubscribe or a confirmation under the old key still holds, new writes by address use
 * the new key, and a link writes under the key it carries.
 */
@Component
public class Recipients implements PersonalData {

    /** Reply notifications: a kind of mail that needs a confirmed address (double opt-in). */
    public static final String REPLY_KIND = "reply";
    /**
     * The privacy links a person asks for ({@code POST /api/privacy/requests}): unsubscribing from every mail of the
     * site ({@code all}) does not stop them, so that someone who did can still see or erase their data; unsubscribing
     * from this kind (the link in those mails) does.
     */
    public static final String PRIVACY_KIND = "privacy";

    @Document("recipients")
    record Recipient(
            @Id String id,
            @Nullable Instant confirmedAt,
            @Nullable List<String> unsubscribed,
            @Nullable Instant bouncedAt) {}

    private final ReactiveMongoTemplate mongo;
    private final AddressKeys keys;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    Recipients(ReactiveMongoTemplate mongo, AddressKeys keys, NotificationProperties properties) {
        this.mongo = mongo;
        this.keys = keys;
        this.timeout = properties.timeouts().store();
    }

    /**
     * What the address agreed to, from its document and the one under its key of before (see above), or an empty
     * state; blocking (dispatcher and listener threads).
     */
    public State state(String address) {
        List<Recipient> found = find(List.of(keys.of(address), DeliveryKey.legacyHash(address)));
        boolean confirmed = false;
        boolean bounced = false;
        Set<String> unsubscribed = new LinkedHashSet<>();
        for (Recipient recipient : found) {
            confirmed |= recipient.confirmedAt() != null;
            bounced |= recipient.bouncedAt() != null;
            if (recipient.unsubscribed() != null) {
                unsubscribed.addAll(recipient.unsubscribed());
            }
        }
        return new State(confirmed, List.copyOf(unsubscribed), bounced);
    }

    /** What an address agreed to. */
    public record State(boolean confirmed, List<String> unsubscribed, boolean bounced) {

        /** Unsubscribed from this kind, or from every kind but the privacy links a person asks for themselves. */
        public boolean unsubscribedFrom(String kind) {
            return unsubscribed.contains(kind) || unsubscribed.contains("all") && !PRIVACY_KIND.equals(kind);
        }
    }

    /** Confirms the address whose key a confirmation link carries (its key of before, for a link from then). */
    public Mono<Void> confirm(String recipientKey) {
        return mongo.findAndModify(
                        query(where("_id").is(recipientKey).and("confirmedAt").isNull()),
                        new Update().set("confirmedAt", clock.instant()),
                        FindAndModifyOptions.options().upsert(true),
                        Recipient.class)
                .onErrorResume(org.springframework.dao.DuplicateKeyException.class, alreadyConfirmed -> Mono.empty())
                .then();
    }

    /** Unsubscribes the address whose key an unsubscribe link carries from a kind of mail. */
    Mono<Void> unsubscribe(String recipientKey, String kind) {
        return mongo.upsert(
                        query(where("_id").is(recipientKey)),
                        new Update().addToSet("unsubscribed", kind),
                        Recipient.class)
                .then();
    }

    /** Blocking: marks an address that the mail server refused for good; it gets no more mail. */
    public void markBounced(String address) {
        mongo.upsert(
                        query(where("_id").is(keys.of(address))),
                        new Update().set("bouncedAt", clock.instant()),
                        Recipient.class)
                .block(timeout);
    }

    @Override
    public String name() {
        return "recipients";
    }

    @Override
    public List<Map<String, Object>> export(Person person) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Recipient recipient : find(person.keys())) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("confirmedAt", text(recipient.confirmedAt()));
            record.put("unsubscribedFrom", recipient.unsubscribed() == null ? List.of() : recipient.unsubscribed());
            record.put("bouncedAt", text(recipient.bouncedAt()));
            records.add(record);
        }
        return records;
    }

    @Override
    public long erase(Person person) {
        var result = mongo.remove(query(where("_id").in(person.keys())), Recipient.class)
                .block(timeout);
        return result == null ? 0 : result.getDeletedCount();
    }

    private List<Recipient> find(List<String> recipientKeys) {
        List<Recipient> found = mongo.find(query(where("_id").in(recipientKeys)), Recipient.class)
                .collectList()
                .block(timeout);
        return found == null ? List.of() : found;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
