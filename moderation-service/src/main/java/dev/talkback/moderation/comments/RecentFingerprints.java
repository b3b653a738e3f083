package dev.talkback.moderation.comments;

import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What the duplicate checks read of each decided comment (article, author's key, fingerprint, when it was sent: a few
 * hundred bytes), filed under each of its four SimHash bands: one document per band value ({@code _id} the band,
 * {@link dev.talkback.engine.TextFingerprint#bands()}) holding the newest {@link #PER_BAND} entries filed under it.
 * A check looks its probe bands up by {@code _id}, so that the look-ups of a whole poll are one query that every store
 * serves from its primary index, the local stack's embedded one included (it has no other indexes: matched on an
 * indexed field, each look-up read the whole collection). Shared in MongoDB, so the checks hold across instances.
 *
 * <p>There are at most 4 × 65,536 band documents of at most {@link #PER_BAND} entries each, however many comments are
 * stored: a band that fills up keeps its newest entries, which are the ones a campaign of copies needs to be
 * recognised. Entries older than a check's duplicate window are passed over when read.
 *
 * <p>An entry is filed once the comment is stored with its decision; a crash between the two leaves the comment out
 * of later checks, as for the {@link FloodCounters}. The entries that earlier versions kept per comment
 * ({@value #RETIRED_COLLECTION}) are dropped at the next start ({@link ClientDataUpgrade}): for one duplicate window
 * after the upgrade, copies of earlier comments are not recognised.
 */
@Component
class RecentFingerprints {

    static final String COLLECTION = "fingerprintBands";
    static final String RETIRED_COLLECTION = "fingerprints";

    /**
     * Entries kept per band. A probe reads 68 bands (each band and its 16 one-bit neighbours), and a random other text
     * shares one of them about once in a thousand: with 1,000,000 comments in the window a band holds about 15.
     */
    static final int PER_BAND = 32;

    private static final String ENTRIES = "entries";

    private final ReactiveMongoTemplate mongo;

    RecentFingerprints(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The comments collection had indexes for the duplicate look-ups before they had a collection of their own. */
    @Bean
    static CollectionIndexes retiredCommentFingerprintIndexes() {
        return CollectionIndexes.on(ModeratedComment.class)
                .retiring("fingerprint.exact_1_submittedAt_-1", "fingerprint.bands_1_submittedAt_-1");
    }

    /** One decided comment's entry; {@code emailKey} is the key of the author's address, as in the comment. */
    record Entry(
            String commentId,
            @Nullable String articleId,
            @Nullable String emailKey,
            ModeratedComment.Fingerprint fingerprint,
            Instant submittedAt) {

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
    }

    /** A band's document: the entries filed under it, oldest first. */
    record Band(@Id long id, List<Entry> entries) {}

    /**
     * Files the comments' entries under their bands: one upsert per band for all of them, in one bulk write; nothing for
     * comments without a fingerprint. Called once per comment, when it is stored (a redelivery finds it stored and
     * files nothing); an entry filed twice would still count once, as the look-ups count comments by id.
     */
    Mono<Void> recordAll(Collection<ModeratedComment> comments) {
        Map<Long, List<Entry>> byBand = new LinkedHashMap<>();
        for (ModeratedComment comment : comments) {
            Entry entry = Entry.of(comment);
            if (entry != null) {
                for (long band : entry.fingerprint().bands()) {
                    byBand.computeIfAbsent(band, any -> new ArrayList<>()).add(entry);
                }
            }
        }
        if (byBand.isEmpty()) {
            return Mono.empty();
        }
        var bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, COLLECTION);
        byBand.forEach((band, entries) -> {
            bulk.upsert(
                    Query.query(Criteria.where("_id").is(band)),
                    new Update().push(ENTRIES).slice(-PER_BAND).each(entries.toArray()));
        });
        return bulk.execute().then();
    }

    /** Removes the comment's entries (an erasure): it is no longer a duplicate of anything. */
    Mono<Void> remove(ModeratedComment comment) {
        if (comment.fingerprint() == null) {
            return Mono.empty();
        }
        return mongo.updateMulti(
                        Query.query(
                                Criteria.where("_id").in(comment.fingerprint().bands())),
                        new Update()
                                .pull(
                                        ENTRIES,
                                        Query.query(Criteria.where("commentId").is(comment.id()))),
                        COLLECTION)
                .then();
    }

    /** The entries filed under the bands, by band, in one query by id; a band with none is absent. */
    Mono<Map<Long, List<Entry>>> filedUnder(Collection<Long> bands) {
        if (bands.isEmpty()) {
            return Mono.just(Map.of());
        }
        return mongo.find(Query.query(Criteria.where("_id").in(bands)), Band.class, COLLECTION)
                .collect(HashMap::new, (found, band) -> found.put(band.id(), band.entries()));
    }
}
