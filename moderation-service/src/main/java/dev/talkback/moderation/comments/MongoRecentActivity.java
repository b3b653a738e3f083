package dev.talkback.moderation.comments;

import dev.talkback.engine.RecentActivity;
import dev.talkback.engine.TextFingerprint;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Recent comments for the engine's duplicate and flood checks, in MongoDB, so the limits hold across instances:
 * floods from the {@link FloodCounters}, duplicates from the {@link RecentFingerprints} filed under the probe's bands,
 * both read by {@code _id}. A poll's submissions are decided {@link BatchActivity#within} their activity, read before
 * the first of them is decided in a few queries for all of them (flood counters, authors' histories, fingerprint
 * entries), with the comments decided earlier in the poll counted as if stored; a probe outside a poll reads its own.
 */
@Component
class MongoRecentActivity implements RecentActivity {

    /**
     * Candidates a probe gets at most, newest first. A campaign of thousands of copies needs only a few to be
     * recognised; a random other text shares a probe band about once in a thousand, so this covers the newest
     * ~250,000 comments of the window.
     */
    static final int MAX_CANDIDATES = 250;

    private final FloodCounters floods;
    private final RecentFingerprints fingerprints;
    private final MongoAuthorHistory histories;
    private final AddressKeys keys;
    private final Duration timeout;

    MongoRecentActivity(
            FloodCounters floods,
            RecentFingerprints fingerprints,
            MongoAuthorHistory histories,
            AddressKeys keys,
            ModerationProperties properties) {
        this.floods = floods;
        this.fingerprints = fingerprints;
        this.histories = histories;
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
     * The recent activity of a poll's submissions, for {@link BatchActivity#within}, in three queries sent together:
     * the flood counters of all their authors and IPs, their authors' histories, and the fingerprint entries filed
     * under the probe bands of all their texts.
     */
    Mono<BatchActivity> of(List<CommentSubmitted> submissions) {
        Set<String> authors = new HashSet<>();
        Set<Long> probed = new HashSet<>();
        for (CommentSubmitted submitted : submissions) {
            if (submitted.author() != null && submitted.author().email() != null) {
                authors.add(keys.of(submitted.author().email()));
            }
            probed.addAll(TextFingerprint.of(submitted.text()).probeBands());
        }
        return Mono.zip(
                        floods.counters(BatchActivity.counterIds(floods, submissions)),
                        histories.ofAll(authors),
                        fingerprints.filedUnder(probed))
                .map(read -> new BatchActivity(floods, read.getT1(), read.getT2(), probed, read.getT3()));
    }

    @Override
    public Snapshot lookup(Probe probe) {
        BatchActivity inBatch = BatchActivity.current();
        List<Long> bands = probe.fingerprint().probeBands();
        String authorKey = probe.email() == null ? null : keys.of(probe.email());
        List<RecentFingerprints.Entry> filed = inBatch == null ? null : inBatch.filedUnder(bands);
        if (inBatch != null && filed != null) {
            return new Snapshot(
                    (int) inBatch.byEmail(probe.email(), probe.floodSince()),
                    (int) inBatch.byIp(probe.ip(), probe.floodSince()),
                    candidates(probe, authorKey, inBatch.similar(probe, authorKey), filed));
        }
        Mono<Long> byEmail = inBatch == null
                ? floods.byEmail(probe.email(), probe.floodSince())
                : Mono.just(inBatch.byEmail(probe.email(), probe.floodSince()));
        Mono<Long> byIp = inBatch == null
                ? floods.byIp(probe.ip(), probe.floodSince())
                : Mono.just(inBatch.byIp(probe.ip(), probe.floodSince()));
        List<PastComment> decidedInBatch = inBatch == null ? List.of() : inBatch.similar(probe, authorKey);
        var answer = Mono.zip(byEmail, byIp, fingerprints.filedUnder(bands)).block(timeout);
        if (answer == null) {
            throw new IllegalStateException("No answer from the store about recent comments");
        }
        List<RecentFingerprints.Entry> stored = new ArrayList<>();
        answer.getT3().values().forEach(stored::addAll);
        return new Snapshot(
                answer.getT1().intValue(),
                answer.getT2().intValue(),
                candidates(probe, authorKey, decidedInBatch, stored));
    }

    /**
     * The probe's candidates: the poll's own comments first (they are the newest), then the stored entries sent within
     * the duplicate window, newest first, each comment once, at most {@link #MAX_CANDIDATES}. The engine tells the
     * author's own comments from others' by comparing addresses, and the entries hold keys: an entry of the author's
     * key carries the author's address, any other its key (distinct for distinct addresses, which is all the engine
     * counts of other authors).
     */
    private static List<PastComment> candidates(
            Probe probe,
            @Nullable String authorKey,
            List<PastComment> decidedInBatch,
            List<RecentFingerprints.Entry> stored) {
        Map<String, PastComment> candidates = new LinkedHashMap<>();
        for (PastComment past : decidedInBatch) {
            if (candidates.size() < MAX_CANDIDATES) {
                candidates.putIfAbsent(past.commentId(), past);
            }
        }
        List<RecentFingerprints.Entry> recent = new ArrayList<>();
        for (RecentFingerprints.Entry entry : stored) {
            if (!entry.submittedAt().isBefore(probe.duplicateSince())) {
                recent.add(entry);
            }
        }
        recent.sort(Comparator.comparing(RecentFingerprints.Entry::submittedAt).reversed());
        for (RecentFingerprints.Entry entry : recent) {
            if (candidates.size() >= MAX_CANDIDATES) {
                break;
            }
            candidates.putIfAbsent(
                    entry.commentId(),
                    new PastComment(
                            entry.commentId(),
                            entry.articleId(),
                            authorKey != null && authorKey.equals(entry.emailKey()) ? probe.email() : entry.emailKey(),
                            entry.fingerprint().toEngine()));
        }
        return List.copyOf(candidates.values());
    }
}
