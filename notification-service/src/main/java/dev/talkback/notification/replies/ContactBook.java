package dev.talkback.notification.replies;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The author contact of every comment this service saw (collection {@code comment_contacts}, keyed by comment
 * id), taken from {@code CommentModerated}: the only way for a reply, which names its parent by id, to find the
 * parent's author. The address is stored here because it must be; it is never logged or served.
 */
@Component
class ContactBook {

    @Document("comment_contacts")
    record Contact(
            @Id String id,
            String articleId,
            String email,
            boolean notifyReplies,
            @Nullable String authorName) {}

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    ContactBook(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.mongo = mongo;
        this.timeout = properties.timeouts().store();
    }

    void save(String commentId, String articleId, String email, boolean notifyReplies, @Nullable String authorName) {
        Update update = new Update()
                .set("articleId", articleId)
                .set("email", email)
                .set("notifyReplies", notifyReplies)
                .set("authorName", authorName);
        mongo.upsert(query(where("_id").is(commentId)), update, Contact.class).block(timeout);
    }

    @Nullable
    Contact find(String commentId) {
        return mongo.findById(commentId, Contact.class).block(timeout);
    }
}
