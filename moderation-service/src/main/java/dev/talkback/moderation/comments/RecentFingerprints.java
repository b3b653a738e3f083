package dev.talkback.moderation.comments;

import dev.talkback.engine.RecentActivity.PastComment;
import dev.talkback.moderation.rules.Settings;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the duplicate checks read of each decided comment, in its own collection ({@code fingerprints}, {@code _id}
 * the comment id): article, author's key, fingerprint and when it was sent, a few hundred bytes. A check reads up to
 * {@link MongoRecentActivity#MAX_CANDIDATES} of them; read from {@code comments}, each candidate was a whole comment
 * (text, decision and history: ~8 KB once decoded): with 59,000 stored, the probes of the benchmark's look-alike
 * texts matched 157–388 each, and a profile of the embedded store spent half its CPU reading documents for queries
 * like these. Shared in MongoDB, so the checks hold across instances.
 *
 * <p>An entry is written once the comment is stored with its decision; a crash between the two leaves the comment
 * out of later checks, as for the {@link FloodCounters}. Comments stored before this collection existed are not in
 * it: for one duplicate window after an upgrade, copies of them are not recognised. An entry older than the longest
 * window a site can set is read by no check, and MongoDB removes it ({@link #RETENTION}, a TTL index on
 * {@code submittedAt}), so the collection holds at most that window's comments.
 */
@Component
class RecentFingerprints {

    static final String COLLECTION = "fingerprints";
    static final String TTL_INDEX = "submittedAt_1";
    static final Duration RETENTION = Duration.ofHours(Settings.Duplicates.MAX_WINDOW_HOURS);

    private final ReactiveMongoTemplate mongo;

    RecentFingerprints(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** One decided comment's entry; {@code emailKey} is the key of the author's address, as in the comment. */
    record Entry(
            @Id String id,
            @Nullable String articleId,
            @Nullable String emailKey,
            ModeratedComment.Fingerprint fingerprint,
            Instant submittedAt) {

        /** The comment's entry, {@code null} for a comment without a fingerprint. */
        static @Nullable Entry of(ModeratedComment comment) {
            return comment.fingerprint() == null
                    ? null
                    : new Entry(
                            comment.id(),
                            comment.articleId(),
                            comment.emailKey(),
                            comment.fingerprint(),
                            comment.submittedAt());
        }

        /**
         * The entry as the engine's past comment, for a probe by the author with this address and key. The engine tells
         * the author's own comments from others' by comparing addresses, and the entries hold keys: an entry of the
         * author's key carries the author's address, any other its key (distinct for distinct addresses, which is all
         * the engine counts of other authors).
         */
        PastComment toPast(@Nullable String authorEmail, @Nullable String authorKey) {
            return new PastComment(
                    id,
                    articleId,
                    authorKey != null && authorKey.equals(emailKey) ? authorEmail : emailKey,
                    fingerprint.toEngine());
        }
    }

    /**
     * Each lookup is an equality on the first field and a range on the second; the last index expires the entries no
     * window reaches.
     */
    @Bean
    static CollectionIndexes fingerprintIndexes() {
        return CollectionIndexes.on(
                COLLECTION,
                new Index().on("fingerprint.exact", Sort.Direction.ASC).on("submittedAt", Sort.Direction.DESC),
                new Index().on("fingerprint.bands", Sort.Direction.ASC).on("submittedAt", Sort.Direction.DESC),
                new Index().on("submittedAt", Sort.Direction.ASC).expire(RETENTION));
    }

    /** The same indexes on comments served the lookups before this collection existed. */
    @Bean
    static CollectionIndexes retiredCommentFingerprintIndexes() {
        return CollectionIndexes.on(ModeratedComment.class)
                .retiring("fingerprint.exact_1_submittedAt_-1", "fingerprint.bands_1_submittedAt_-1");
    }

    /**
     * Adds the entries of the comments (again, unchanged, if they are there) in one bulk write; nothing for a comment
     * without a fingerprint.
     */
    Mono<Void> recordAll(Collection<ModeratedComment> comments) {
        List<Entry> entries =
                comments.stream().map(Entry::of).filter(Objects::nonNull).toList();
        return BulkReplace.byId(mongo, COLLECTION, entries, Entry::id);
    }

    /** Removes the comment's entry (an erasure): it is no longer a duplicate of anything. */
    Mono<Void> remove(String commentId) {
        return mongo.remove(Query.query(Criteria.where("_id").is(commentId)), COLLECTION)
                .then();
    }

    /**
     * Entries that match and were sent since {@code since}, at most {@code limit}. No sort: sorting would read every
     * match before the bound applies; the index yields the newest first.
     */
    Flux<Entry> matching(Criteria match, Instant since, int limit) {
        return mongo.find(Query.query(match.and("submittedAt").gte(since)).limit(limit), Entry.class, COLLECTION);
    }
}
