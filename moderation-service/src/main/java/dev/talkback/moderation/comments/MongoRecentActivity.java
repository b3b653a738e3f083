package dev.talkback.moderation.comments;

import dev.talkback.engine.RecentActivity;
import dev.talkback.engine.TextFingerprint;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * index on the two. A poll's submissions are decided {@link BatchActivity#within} their activity, read before the
 * first of them is decided: the flood counts and the authors' histories of all of them in one query each; the stored
 * comments similar to their texts are read ahead of the engine, several texts' look-ups on their way together rather
 * than one after the other; the comments decided earlier in the poll are counted as if stored.
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

    /**
     * The texts of a poll whose similar comments are looked up at the same time: enough to keep the store busy while
     * the answers travel, few enough not to crowd out the other services' queries.
     */
    private static final int CONCURRENT_LOOKUPS = 8;

    private final FloodCounters floods;
    private final RecentFingerprints fingerprints;
    private final MongoAuthorHistory histories;
    private final ActiveRules rules;
    private final AddressKeys keys;
    private final Clock clock;
    private final Duration timeout;

    MongoRecentActivity(
            FloodCounters floods,
            RecentFingerprints fingerprints,
            MongoAuthorHistory histories,
            ActiveRules rules,
            AddressKeys keys,
            Clock clock,
            ModerationProperties properties) {
        this.floods = floods;
        this.fingerprints = fingerprints;
        this.histories = histories;
        this.rules = rules;
        this.keys = keys;
        this.clock = clock;
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
     * authors and IPs and their authors' histories, asked at once; and what reads the stored comments similar to their
     * texts within their articles' duplicate windows, {@link BatchActivity#READ_AHEAD} texts at a time.
     */
    Mono<BatchActivity> of(List<CommentSubmitted> submissions) {
        Set<String> authors = new HashSet<>();
        Map<TextFingerprint, Instant> texts = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (CommentSubmitted submitted : submissions) {
            if (submitted.author() != null && submitted.author().email() != null) {
                authors.add(keys.of(submitted.author().email()));
            }
            try {
                Instant since =
                        now.minus(rules.settingsFor(submitted.articleId()).duplicateWindow());
                texts.merge(TextFingerprint.of(submitted.text()), since, (a, b) -> a.isBefore(b) ? a : b);
            } catch (RuntimeException unreadable) {
                // not read ahead: the engine asks for it while deciding it, and a failure is then its own record's
            }
        }
        List<BatchActivity.Text> inOrder = texts.entrySet().stream()
                .map(text -> new BatchActivity.Text(text.getKey(), text.getValue()))
                .toList();
        return Mono.zip(floods.counters(BatchActivity.counterIds(floods, submissions)), histories.ofAll(authors))
                .map(read -> new BatchActivity(floods, read.getT1(), read.getT2(), inOrder, this::similarToAll));
    }

    /**
     * The stored comments similar to each text, {@link #CONCURRENT_LOOKUPS} texts' look-ups on their way at a time
     * rather than one after the other.
     */
    private Map<TextFingerprint, List<RecentFingerprints.Entry>> similarToAll(List<BatchActivity.Text> texts) {
        var found = Flux.fromIterable(texts)
                .flatMap(
                        text -> stored(text.fingerprint(), text.since())
                                .map(entries -> Map.entry(text.fingerprint(), entries)),
                        CONCURRENT_LOOKUPS)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();
        return found == null ? Map.of() : found;
    }

    @Override
    public Snapshot lookup(Probe probe) {
        BatchActivity inBatch = BatchActivity.current();
        String authorKey = probe.email() == null ? null : keys.of(probe.email());
        List<RecentFingerprints.Entry> read =
                inBatch == null ? null : inBatch.storedSimilar(probe.fingerprint(), probe.duplicateSince());
        if (inBatch != null && read != null) {
            return new Snapshot(
                    (int) inBatch.byEmail(probe.email(), probe.floodSince()),
                    (int) inBatch.byIp(probe.ip(), probe.floodSince()),
                    candidates(probe, authorKey, inBatch.similar(probe, authorKey), read));
        }
        Mono<Long> byEmail = inBatch == null
                ? floods.byEmail(probe.email(), probe.floodSince())
                : Mono.just(inBatch.byEmail(probe.email(), probe.floodSince()));
        Mono<Long> byIp = inBatch == null
                ? floods.byIp(probe.ip(), probe.floodSince())
                : Mono.just(inBatch.byIp(probe.ip(), probe.floodSince()));
        List<PastComment> decidedInBatch = inBatch == null ? List.of() : inBatch.similar(probe, authorKey);
        var answer = Mono.zip(byEmail, byIp, stored(probe.fingerprint(), probe.duplicateSince()))
                .block(timeout);
        if (answer == null) {
            throw new IllegalStateException("No answer from the store about recent comments");
        }
        return new Snapshot(
                answer.getT1().intValue(),
                answer.getT2().intValue(),
                candidates(probe, authorKey, decidedInBatch, answer.getT3()));
    }

    /**
     * The stored comments whose exact hash or one of whose bands matches the fingerprint's, sent since {@code since}:
     * two queries rather than one $or, so that each has its equality on one indexed field, which every store serves.
     */
    private Mono<List<RecentFingerprints.Entry>> stored(TextFingerprint fingerprint, Instant since) {
        return Flux.merge(
                        fingerprints.matching(
                                Criteria.where("fingerprint.exact").is(fingerprint.exact()), since, MAX_CANDIDATES),
                        fingerprints.matching(
                                Criteria.where("fingerprint.bands").in(fingerprint.probeBands()),
                                since,
                                MAX_CANDIDATES))
                .distinct(RecentFingerprints.Entry::id)
                .take(MAX_CANDIDATES)
                .collectList()
                .timeout(timeout);
    }

    /**
     * The probe's candidates: the poll's own comments first (they are the newest), then the stored ones, each comment
     * once, at most {@link #MAX_CANDIDATES}, as {@link RecentFingerprints.Entry#toPast} tells them.
     */
    private static List<PastComment> candidates(
            Probe probe,
            @Nullable String authorKey,
            List<PastComment> decidedInBatch,
            List<RecentFingerprints.Entry> stored) {
        Map<String, PastComment> candidates = new LinkedHashMap<>();
        for (PastComment past : decidedInBatch) {
            candidates.putIfAbsent(past.commentId(), past);
        }
        for (RecentFingerprints.Entry entry : stored) {
            candidates.putIfAbsent(entry.id(), entry.toPast(probe.email(), authorKey));
        }
        return candidates.values().stream().limit(MAX_CANDIDATES).toList();
    }
}
