package dev.talkback.notification.replies;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The author contact of every comment this service saw (collection {@code comment_contacts}, keyed by comment
 * id), taken from {@code CommentModerated}: the only way for a reply, which names its parent by id, to find the
 * parent's author. The address itself is stored only when its author asked to hear about replies (the mail needs
 * it); otherwise only its key ({@code AddressKeys}), by which an export or erasure finds the comment. It is never
 * logged or served, but exported to and erased for its owner ({@link PersonalData}). Their comments' ids are what
 * the other parts look for in turn: the mails quoting them, the digests listing them.
 */
@Component
class ContactBook implements PersonalData {

    /**
     * @param email    the address, only while {@code notifyReplies}
     * @param emailKey the key of the address ({@code null} in contacts stored before keys, which hold the address)
     */
    @Document("comment_contacts")
    record Contact(
            @Id String id,
            String articleId,
            @Nullable String email,
            @Nullable String emailKey,
            boolean notifyReplies,
            @Nullable String authorName) {}

    private final ReactiveMongoTemplate mongo;
    private final AddressKeys keys;
    private final Duration timeout;

    ContactBook(ReactiveMongoTemplate mongo, AddressKeys keys, NotificationProperties properties) {
        this.mongo = mongo;
        this.keys = keys;
        this.timeout = properties.timeouts().store();
    }

    void save(String commentId, String articleId, String email, boolean notifyReplies, @Nullable String authorName) {
        Update update = new Update()
                .set("articleId", articleId)
                .set("emailKey", keys.of(email))
                .set("notifyReplies", notifyReplies)
                .set("authorName", authorName);
        if (notifyReplies) {
            update.set("email", email);
        } else {
            update.unset("email");
        }
        mongo.upsert(query(where("_id").is(commentId)), update, Contact.class).block(timeout);
    }

    /** Whether the comment was written from the address (its key, or the address stored before keys). */
    boolean writtenFrom(Contact contact, String address) {
        return contact.emailKey() != null
                ? contact.emailKey().equals(keys.of(address))
                : contact.email() != null && contact.email().equalsIgnoreCase(address);
    }

    @Nullable
    Contact find(String commentId) {
        return mongo.findById(commentId, Contact.class).block(timeout);
    }

    @Override
    public String name() {
        return "comment_contacts";
    }

    /** The person's comments: whatever spelling of the address they were written with. */
    @Override
    public Set<String> subjectsOf(Person person) {
        return contactsOf(person).stream().map(Contact::id).collect(Collectors.toSet());
    }

    @Override
    public List<Map<String, Object>> export(Person person) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Contact contact : contactsOf(person)) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("commentId", contact.id());
            record.put("articleId", contact.articleId());
            record.put("email", contact.email());
            record.put("notifyReplies", contact.notifyReplies());
            record.put("authorName", contact.authorName());
            records.add(record);
        }
        return records;
    }

    @Override
    public long erase(Person person) {
        var removed = mongo.remove(byAddress(person), Contact.class).block(timeout);
        return removed == null ? 0 : removed.getDeletedCount();
    }

    private List<Contact> contactsOf(Person person) {
        List<Contact> found =
                mongo.find(byAddress(person), Contact.class).collectList().block(timeout);
        return found == null ? List.of() : found;
    }

    /**
     * The contacts of the address: by its key, or the address in any case in contacts stored before keys (a scan of
     * the collection, acceptable for an export or an erasure, which a person asks for with a link from their mailbox).
     */
    private static Query byAddress(Person person) {
        return query(new Criteria()
                .orOperator(where("emailKey").in(person.keys()), where("email").regex(person.exactly(), "i")));
    }
}
