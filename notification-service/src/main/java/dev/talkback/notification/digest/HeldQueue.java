package dev.talkback.notification.digest;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData;
import dev.talkback.notification.kafka.CommentModeratedHandler;
import dev.talkback.notification.mail.MailText;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The held comments, as this service learns them (collection {@code held_comments}, keyed by comment id): a HELD
 * decision adds or re-opens one, any later decision (higher revision) closes it. A comment not yet listed in a
 * digest has no {@code digest} number. It holds no address, but while held the author's name and an excerpt of the
 * comment:
 * exported to and erased for the author, found by their comments' ids ({@link PersonalData}); the digests that
 * listed them are subjects of the person too ({@code digest-<number>}), whose mails lose their body.
 */
@Component
class HeldQueue implements CommentModeratedHandler, PersonalData {

    @Document("held_comments")
    record HeldComment(
            @Id String id,
            String articleId,
            int revision,
            boolean held,
            @Nullable String authorName,
            String excerpt,
            Instant heldAt,
            @Nullable Long digest) {}

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;
    private final int excerptLength;

    HeldQueue(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.mongo = mongo;
        this.timeout = properties.timeouts().store();
        this.excerptLength = Math.min(120, properties.mail().excerptLength());
    }

    /**
     * The digest asks every few seconds for the held comments not yet listed, oldest first: by this index, not by
     * reading every comment ever held.
     */
    @Bean
    static CollectionIndexes heldCommentIndexes() {
        return CollectionIndexes.on(
                HeldComment.class, new Index().on("held", Sort.Direction.ASC).on("heldAt", Sort.Direction.ASC));
    }

    @Override
    public void handle(CommentModerated event) {
        boolean held = event.outcome() == Outcome.HELD;
        Update update = new Update()
                .set("articleId", event.articleId())
                .set("revision", event.revision())
                .set("held", held)
                .set("heldAt", event.occurredAt());
        if (held) {
            update.set(
                            "authorName",
                            MailText.singleLine(
                                    event.comment().authorName() == null
                                            ? ""
                                            : event.comment().authorName(),
                                    100))
                    .set(
                            "excerpt",
                            MailText.excerpt(
                                    event.comment().text() == null
                                            ? ""
                                            : event.comment().text(),
                                    excerptLength))
                    .unset("digest");
        } else {
            // a closed one is kept for its revision only: no digest lists it again, so it keeps neither name nor words
            update.unset("authorName").set("excerpt", "");
        }
        if (!held) {
            // Closes a held comment; comments never held get no document.
            mongo.updateFirst(
                            query(where("_id")
                                    .is(event.commentId())
                                    .and("revision")
                                    .lt(event.revision())),
                            update,
                            HeldComment.class)
                    .block(timeout);
            return;
        }
        try {
            // Only a higher revision changes it; an older or repeated one finds no match, and its upsert hits _id.
            mongo.upsert(
                            query(where("_id")
                                    .is(event.commentId())
                                    .and("revision")
                                    .lt(event.revision())),
                            update,
                            HeldComment.class)
                    .block(timeout);
        } catch (DuplicateKeyException olderOrSameRevision) {
            // nothing to change
        }
    }

    boolean hasUnlisted() {
        return Boolean.TRUE.equals(mongo.exists(unlisted(), HeldComment.class).block(timeout));
    }

    List<HeldComment> unlisted(int limit) {
        List<HeldComment> found = mongo.find(unlisted().with(Sort.by("heldAt")).limit(limit), HeldComment.class)
                .collectList()
                .block(timeout);
        return found == null ? List.of() : found;
    }

    void markListed(List<HeldComment> comments, long digest) {
        mongo.updateMulti(
                        query(where("_id")
                                .in(comments.stream().map(HeldComment::id).toList())
                                .and("held")
                                .is(true)
                                .and("digest")
                                .exists(false)),
                        new Update().set("digest", digest),
                        HeldComment.class)
                .block(timeout);
    }

    private static org.springframework.data.mongodb.core.query.Query unlisted() {
        return query(where("held").is(true).and("digest").exists(false));
    }

    @Override
    public String name() {
        return "held_comments";
    }

    /** The digests that listed the person's held comments, named as the digest mails' subject. */
    @Override
    public Set<String> subjectsOf(Person person) {
        return heldOf(person).stream()
                .filter(comment -> comment.digest() != null)
                .map(comment -> DigestScheduler.subject(comment.digest()))
                .collect(Collectors.toSet());
    }

    @Override
    public List<Map<String, Object>> export(Person person) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (HeldComment comment : heldOf(person)) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("commentId", comment.id());
            record.put("articleId", comment.articleId());
            record.put("revision", comment.revision());
            record.put("held", comment.held());
            record.put("authorName", comment.authorName());
            record.put("excerpt", comment.excerpt());
            record.put("heldAt", comment.heldAt().toString());
            record.put("listedInDigest", comment.digest());
            records.add(record);
        }
        return records;
    }

    @Override
    public long erase(Person person) {
        if (person.subjects().isEmpty()) {
            return 0;
        }
        var removed = mongo.remove(query(where("_id").in(person.subjects())), HeldComment.class)
                .block(timeout);
        return removed == null ? 0 : removed.getDeletedCount();
    }

    private List<HeldComment> heldOf(Person person) {
        if (person.subjects().isEmpty()) {
            return List.of();
        }
        List<HeldComment> found = mongo.find(query(where("_id").in(person.subjects())), HeldComment.class)
                .collectList()
                .block(timeout);
        return found == null ? List.of() : found;
    }
}
