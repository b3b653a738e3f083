package dev.talkback.moderation.comments;

import dev.talkback.engine.RecentActivity;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recent comments for the engine's duplicate and flood checks, in MongoDB, so the limits hold across instances:
 * floods from the {@link FloodCounters}, duplicates from the {@link RecentFingerprints}, with an equality on
 * {@code fingerprint.exact} or {@code fingerprint.bands} and a range on {@code submittedAt}, each served by a compound
 * index on the two. A poll's submissions are decided {@link BatchActivity#within} their activity: the flood counts
 * of all of them in one query, and the comments decided earlier in the poll counted as if stored.
 */
@Component
class MongoRecentActivity implements RecentActivity {

    /**
     * Candidates read at most per query, in the order of the index (newest first for each band). A campaign of
     * thousands of copies needs only a few to be recognised; the band probes match about one unrelated comment in a
     * thousand, so this covers the newest ~240,000 comments of the window, and every comment read costs (with the
     * earlier 8-bit bands, 3 % matched: a lookup read 250 comments as soon as 8,000 were stored).
     */
    static final int MAX_CANDIDATES = 250;

    private final FloodCounters floods;
    private final RecentFingerprints fingerprints;
    private final AddressKeys keys;
    private final Duration timeout;

    MongoRecentActivity(
            FloodCounters floods, RecentFingerprints fingerprints, AddressKeys keys, ModerationProperties properties) {
        this.floods = floods;
        this.fingerprints = fingerprints;
        this.keys = keys;
        this.timeout = properties.storeTimeout();
    }

    @Bean
    static CollectionIndexes recentActivityIndexes() {
        return CollectionIndexes.on(
                ModeratedComment.class,
                // emailKey serves the author's history (MongoAuthorHistory) and the privacy requests
                // (CommentPersonalData)
                new Index().on("emailKey", Sort.Direction.ASC).on("submittedAt", Sort.Direction.DESC),
                new Index().on("submittedAt", Sort.Direction.ASC),
                new Index().on("label", Sort.Direction.ASC));
    }

    /**
     * The recent activity of a poll's submissions, for {@link BatchActivity#within}: the flood counters of all their
     * authors and IPs in one query.
     */
    Mono<BatchActivity> of(List<CommentSubmitted> submissions) {
        return floods.counters(BatchActivity.counterIds(floods, submissions))
                .map(counters -> new BatchActivity(floods, counters));
    }

    @Override
    public Snapshot lookup(Probe probe) {
        BatchActivity inBatch = BatchActivity.current();
        Mono<Long> byEmail = inBatch == null
                ? floods.byEmail(probe.email(), probe.floodSince())
                : Mono.just(inBatch.byEmail(probe.email(), probe.floodSince()));
        Mono<Long> byIp = inBatch == null
                ? floods.byIp(probe.ip(), probe.floodSince())
                : Mono.just(inBatch.byIp(probe.ip(), probe.floodSince()));
        var fingerprint = probe.fingerprint();
        String authorKey = probe.email() == null ? null : keys.of(probe.email());
        // the poll's own comments first: they are the newest
        Flux<PastComment> decidedInBatch =
                inBatch == null ? Flux.empty() : Flux.fromIterable(inBatch.similar(probe, authorKey));
        // two queries rather than one $or: each then has its equality on one indexed field, which every store serves
        Mono<List<PastComment>> candidates = Flux.concat(
                        decidedInBatch,
                        Flux.merge(
                                similar(Criteria.where("fingerprint.exact").is(fingerprint.exact()), probe, authorKey),
                                similar(
                                        Criteria.where("fingerprint.bands").in(fingerprint.probeBands()),
                                        probe,
                                        authorKey)))
                .distinct(PastComment::commentId)
                .take(MAX_CANDIDATES)
                .collectList();
        var answer = Mono.zip(byEmail, byIp, candidates).block(timeout);
        if (answer == null) {
            throw new IllegalStateException("No answer from the store about recent comments");
        }
        return new Snapshot(answer.getT1().intValue(), answer.getT2().intValue(), answer.getT3());
    }

    /**
     * The entries as the engine's past comments. The engine tells the author's own comments from others' by comparing
     * addresses, and the entries hold keys: an entry of the author's key carries the author's address, any other its
     * key (distinct for distinct addresses, which is all the engine counts of other authors).
     */
    private Flux<PastComment> similar(Criteria match, Probe probe, @Nullable String authorKey) {
        return fingerprints
                .matching(match, probe.duplicateSince(), MAX_CANDIDATES)
                .map(found -> new PastComment(
                        found.id(),
                        found.articleId(),
                        authorKey != null && authorKey.equals(found.emailKey()) ? probe.email() : found.emailKey(),
                        found.fingerprint().toEngine()));
    }
}
