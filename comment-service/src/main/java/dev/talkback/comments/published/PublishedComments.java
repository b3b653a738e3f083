package dev.talkback.comments.published;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import dev.talkback.events.CommentModerated;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The read model: one document per comment, written only from {@code CommentModerated} events.
 */
@Component
public class PublishedComments {

    private final ReactiveMongoTemplate mongo;

    PublishedComments(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** An article's threads, read page by page: by status, parent and time within the article. */
    @Bean
    static CollectionIndexes readModelIndexes() {
        return CollectionIndexes.on(
                CommentDocument.class,
                new Index()
                        .on("articleId", Sort.Direction.ASC)
                        .on("status", Sort.Direction.ASC)
                        .on("parentId", Sort.Direction.ASC)
                        .on("publishedAt", Sort.Direction.ASC)
                        .named("article_threads"));
    }

    /**
     * Applies a decision in one conditional upsert: only when no document exists or the stored revision is lower.
     * When a document with an equal or higher revision exists, the upsert tries to insert a second document with the
     * same id and fails with a duplicate key: the event is stale and is ignored.
     *
     * @return whether the event changed the read model
     */
    Mono<Boolean> apply(CommentModerated event) {
        return mongo.upsert(olderThan(event), update(event), CommentDocument.class)
                .map(result -> true)
                .onErrorResume(DuplicateKeyException.class, ex -> Mono.just(false));
    }

    /** What the store made of one decision of a bulk write. */
    record Written(boolean applied, @Nullable RuntimeException refusal) {

        static final Written APPLIED = new Written(true, null);
        static final Written STALE = new Written(false, null);
    }

    /**
     * Applies decisions on distinct comments with one unordered bulk write of the conditional upserts of
     * {@link #apply}: a decision is stale, and ignored, where its upsert fails with a duplicate key. Unordered, as no
     * write depends on another (one comment each), so that the store may run them at once and one refused write does
     * not stop the others. A failure of the whole write (the store unreachable, a timeout) is the returned error.
     *
     * @return per decision, in the order given: applied, stale, or refused by the store for another reason
     */
    Mono<List<Written>> applyAll(List<CommentModerated> events) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, CommentDocument.class);
        events.forEach(event -> bulk.upsert(olderThan(event), update(event)));
        return bulk.execute()
                .map(result -> Collections.nCopies(events.size(), Written.APPLIED))
                .onErrorResume(
                        ex -> writeErrorsOnly(ex) != null,
                        ex -> Mono.just(written(events.size(), writeErrorsOnly(ex), (RuntimeException) ex)));
    }

    /** The write errors of a bulk whose other writes were done, {@code null} for a failure of the whole write. */
    private static @Nullable MongoBulkWriteException writeErrorsOnly(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MongoBulkWriteException bulk) {
                return bulk.getWriteConcernError() == null && failure instanceof RuntimeException ? bulk : null;
            }
        }
        return null;
    }

    private static List<Written> written(int count, MongoBulkWriteException bulk, RuntimeException failure) {
        List<Written> written = new ArrayList<>(Collections.nCopies(count, Written.APPLIED));
        for (BulkWriteError error : bulk.getWriteErrors()) {
            written.set(
                    error.getIndex(),
                    ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY
                            ? Written.STALE
                            : new Written(false, failure));
        }
        return written;
    }

    /** The comment's document, if its stored revision is lower than the event's (or it has none). */
    private static Query olderThan(CommentModerated event) {
        return Query.query(
                Criteria.where("_id").is(event.commentId()).and("revision").lt(event.revision()));
    }

    private static Update update(CommentModerated event) {
        CommentModerated.PublicComment comment = event.comment();
        CommentStatus status = CommentStatus.of(event.outcome());
        Update update = new Update()
                .set("articleId", event.articleId())
                .set("parentId", comment.parentId())
                .set("authorName", comment.authorName())
                .set("website", comment.website())
                .set("text", comment.text())
                .set("submittedAt", comment.submittedAt())
                .set("status", status.name())
                .set("publicReason", event.publicReason())
                .set("revision", event.revision())
                // what the author may read about a rejection (a later decision that publishes it drops it)
                .set("statement", event.statement())
                // the store keeps milliseconds: truncate so that the live stream and a replay name the same position
                .set("changedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (status == CommentStatus.PUBLISHED) {
            update.min("publishedAt", event.occurredAt());
        }
        return update;
    }

    public Mono<Boolean> isPublished(String articleId, String commentId) {
        return mongo.exists(
                Query.query(Criteria.where("_id")
                        .is(commentId)
                        .and("articleId")
                        .is(articleId)
                        .and("status")
                        .is(CommentStatus.PUBLISHED.name())),
                CommentDocument.class);
    }

    /** The article of a published comment; empty when there is no such comment or it is not published. */
    public Mono<String> articleOfPublished(String commentId) {
        Query query =
                Query.query(Criteria.where("_id").is(commentId).and("status").is(CommentStatus.PUBLISHED.name()));
        return mongo.findOne(query, CommentDocument.class).map(CommentDocument::articleId);
    }

    /** What an appeal needs of a rejected comment. */
    public record Rejection(
            String articleId,
            int revision,
            @Nullable Instant decidedAt,
            boolean hasStatement,
            @Nullable Instant appealedAt) {}

    /** The comment as an appeal sees it; empty when the read model does not hold it or it is not rejected. */
    public Mono<Rejection> rejection(String commentId) {
        return findById(commentId)
                .filter(doc -> doc.status() == CommentStatus.REJECTED)
                .map(doc -> new Rejection(
                        doc.articleId(), doc.revision(), doc.changedAt(), doc.statement() != null, doc.appealedAt()));
    }

    /** Marks the rejection of this revision appealed, once: {@code false} when it was, or the decision changed. */
    public Mono<Boolean> markAppealed(String commentId, int revision, Instant at) {
        return mongo.updateFirst(
                        Query.query(Criteria.where("_id")
                                .is(commentId)
                                .and("revision")
                                .is(revision)
                                .and("appealedAt")
                                .is(null)),
                        new Update().set("appealedAt", at).set("appealedRevision", revision),
                        CommentDocument.class)
                .map(result -> result.getModifiedCount() == 1);
    }

    /** Takes the mark back when the appeal could not be published: nothing half-done. */
    public Mono<Void> unmarkAppealed(String commentId) {
        return mongo.updateFirst(
                        Query.query(Criteria.where("_id").is(commentId)),
                        new Update().unset("appealedAt").unset("appealedRevision"),
                        CommentDocument.class)
                .then();
    }

    Mono<CommentDocument> findById(String commentId) {
        return mongo.findById(commentId, CommentDocument.class);
    }

    /** Published top-level comments after the cursor, oldest first. */
    Flux<CommentDocument> topLevel(String articleId, @Nullable PageCursor after, int limit) {
        Criteria criteria = published(articleId).and("parentId").is(null);
        if (after != null) {
            criteria = criteria.orOperator(
                    Criteria.where("publishedAt").gt(after.publishedAt()),
                    Criteria.where("publishedAt")
                            .is(after.publishedAt())
                            .and("_id")
                            .gt(after.id()));
        }
        Query query = Query.query(criteria)
                .with(Sort.by(Sort.Order.asc("publishedAt"), Sort.Order.asc("_id")))
                .limit(limit);
        return mongo.find(query, CommentDocument.class);
    }

    /** Ids of every published top-level comment of the article (for the total). */
    Flux<String> topLevelIds(String articleId) {
        Query query = Query.query(published(articleId).and("parentId").is(null));
        query.fields().include("_id");
        return mongo.find(query, org.bson.Document.class, CommentDocument.COLLECTION)
                .map(doc -> doc.getString("_id"));
    }

    /** Every published reply of the article, oldest first, at most {@code max}. */
    Flux<CommentDocument> replies(String articleId, int max) {
        Query query = Query.query(published(articleId).and("parentId").ne(null))
                .with(Sort.by(Sort.Order.asc("publishedAt"), Sort.Order.asc("_id")))
                .limit(max);
        return mongo.find(query, CommentDocument.class);
    }

    /**
     * Comments of the article that were published at some point and changed after {@code since}, in the order they
     * changed: those still published, and those hidden after publication (the stream's removals).
     */
    Flux<CommentDocument> changedSince(String articleId, Instant since, int limit) {
        Query query = Query.query(Criteria.where("articleId")
                        .is(articleId)
                        .and("publishedAt")
                        .ne(null)
                        .and("changedAt")
                        .gt(since))
                .with(Sort.by(Sort.Order.asc("changedAt"), Sort.Order.asc("_id")))
                .limit(limit);
        return mongo.find(query, CommentDocument.class);
    }

    private static Criteria published(String articleId) {
        return Criteria.where("articleId").is(articleId).and("status").is(CommentStatus.PUBLISHED.name());
    }
}
