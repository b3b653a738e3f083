package dev.talkback.moderation.comments;

import dev.talkback.engine.AuthorHistory;
import dev.talkback.engine.RecentActivity;
import dev.talkback.engine.RecentActivity.PastComment;
import dev.talkback.engine.TextFingerprint;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.bson.Document;
import org.jspecify.annotations.Nullable;

/**
 * The recent activity as the submissions of one poll see it: the flood counters of all their authors and IPs and the
 * histories of their authors (one query each), and the stored comments similar to each of their texts (all asked at
 * once), read before the first of them is decided; and the comments decided earlier in the same poll. Those are stored
 * and counted only after the last one is decided, yet each must count for the next, as it did when every comment was
 * stored before the next was taken: a flood, a copied text or a run of rejected comments sent within one poll is
 * recognised as it always was. Used by one listener thread.
 */
final class BatchActivity {

    /** The poll being decided on this thread, if any ({@link #within}). */
    private static final ThreadLocal<BatchActivity> CURRENT = new ThreadLocal<>();

    private final FloodCounters floods;
    private final Map<String, Document> counters;
    private final Map<String, AuthorHistory.Record> histories;
    private final List<Text> texts;
    private final SimilarReader similarReader;
    private Map<TextFingerprint, StoredSimilar> readAhead = Map.of();
    private final Map<String, Long> stored = new HashMap<>();
    private final List<Decided> decided = new ArrayList<>();
    // the decided comments' positions by exact hash and by band, as the store's indexes find them
    private final Map<Long, List<Integer>> decidedByExact = new HashMap<>();
    private final Map<Long, List<Integer>> decidedByBand = new HashMap<>();

    /** A comment decided earlier in the poll: its counter ids, author's key, outcome and fingerprint entry. */
    private record Decided(
            @Nullable String emailCounter,
            @Nullable String ipCounter,
            long minute,
            @Nullable String emailKey,
            CommentModerated.Outcome outcome,
            RecentFingerprints.@Nullable Entry entry) {}

    /** Texts whose similar stored comments are read at once: a poll's worth would hold 500 × 250 entries. */
    static final int READ_AHEAD = 32;

    /** A text of the poll: its fingerprint, and how far back its article's duplicate window reaches. */
    record Text(TextFingerprint fingerprint, Instant since) {}

    /** Reads the stored comments similar to each of some texts, sent within its window, all at once. */
    @FunctionalInterface
    interface SimilarReader {

        Map<TextFingerprint, List<RecentFingerprints.Entry>> read(List<Text> texts);
    }

    /** The stored comments similar to a text, sent since {@code since}, newest first as the store gave them. */
    private record StoredSimilar(Instant since, List<RecentFingerprints.Entry> entries) {}

    /**
     * @param counters      the stored counter documents of the poll's authors and IPs, by id
     *     ({@link FloodCounters#counters})
     * @param histories     the stored histories of the poll's authors, by key ({@link MongoAuthorHistory#ofAll}); an
     *     author not in it is counted alone
     * @param texts         the poll's texts, each once, in the poll's order
     * @param similarReader what reads the stored comments similar to them, {@link #READ_AHEAD} texts at a time
     */
    BatchActivity(
            FloodCounters floods,
            Map<String, Document> counters,
            Map<String, AuthorHistory.Record> histories,
            List<Text> texts,
            SimilarReader similarReader) {
        this.floods = floods;
        this.counters = counters;
        this.histories = histories;
        this.texts = texts;
        this.similarReader = similarReader;
    }

    /** The poll with no stored activity read but its flood counters: the rest is asked of the store when needed. */
    BatchActivity(FloodCounters floods, Map<String, Document> counters) {
        this(floods, counters, Map.of(), List.of(), any -> Map.of());
    }

    /** The activity of the poll being decided on this thread, if any. */
    static @Nullable BatchActivity current() {
        return CURRENT.get();
    }

    /**
     * Runs the decisions of the poll on this thread with this activity, which {@link MongoRecentActivity} and
     * {@link MongoAuthorHistory} answer from while the engine asks them.
     */
    <T> T within(Supplier<T> decisions) {
        BatchActivity outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return decisions.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The ids of the counter documents the submissions' flood checks read. */
    static Set<String> counterIds(FloodCounters floods, List<CommentSubmitted> submissions) {
        Set<String> ids = new HashSet<>();
        for (CommentSubmitted submitted : submissions) {
            if (submitted.author() != null) {
                add(ids, floods.emailId(submitted.author().email()));
            }
            add(ids, floods.ipId(submitted.clientIp()));
        }
        return ids;
    }

    private static void add(Set<String> ids, @Nullable String id) {
        if (id != null) {
            ids.add(id);
        }
    }

    /** The stored history of the author with the key as read for the poll, {@code null} if it was not read. */
    AuthorHistory.@Nullable Record storedHistory(String emailKey) {
        return histories.get(emailKey);
    }

    /**
     * The stored comments similar to the poll's text with this fingerprint and sent since {@code since}, read with the
     * {@link #READ_AHEAD} texts from it on the first time one of them is asked for (the engine asks in the poll's
     * order); {@code null} if it is no text of the poll or was not read that far back (the engine's text differs from
     * the submission's, or its article's settings changed meanwhile).
     */
    @Nullable
    List<RecentFingerprints.Entry> storedSimilar(TextFingerprint fingerprint, Instant since) {
        StoredSimilar read = readAhead.get(fingerprint);
        if (read == null) {
            int at = 0;
            while (at < texts.size() && !texts.get(at).fingerprint().equals(fingerprint)) {
                at++;
            }
            if (at == texts.size()) {
                return null;
            }
            List<Text> window = texts.subList(at, Math.min(at + READ_AHEAD, texts.size()));
            Map<TextFingerprint, List<RecentFingerprints.Entry>> found = similarReader.read(window);
            Map<TextFingerprint, StoredSimilar> ahead = new HashMap<>();
            for (Text text : window) {
                ahead.put(
                        text.fingerprint(),
                        new StoredSimilar(text.since(), found.getOrDefault(text.fingerprint(), List.of())));
            }
            readAhead = ahead;
            read = ahead.get(fingerprint);
        }
        if (read.since().isAfter(since)) {
            return null;
        }
        return read.entries().stream()
                .filter(entry -> !entry.submittedAt().isBefore(since))
                .toList();
    }

    /** A comment decided in this poll, before the ones that follow it are decided. */
    void add(ModeratedComment comment, CommentSubmitted submitted) {
        ModeratedComment.Fingerprint fingerprint = comment.fingerprint();
        if (fingerprint != null) {
            decidedByExact
                    .computeIfAbsent(fingerprint.exact(), any -> new ArrayList<>())
                    .add(decided.size());
            for (Long band : fingerprint.bands()) {
                decidedByBand.computeIfAbsent(band, any -> new ArrayList<>()).add(decided.size());
            }
        }
        decided.add(new Decided(
                floods.emailId(submitted.author().email()),
                floods.ipId(submitted.clientIp()),
                FloodCounters.minute(comment.submittedAt()),
                comment.emailKey(),
                comment.decision().outcome(),
                RecentFingerprints.Entry.of(comment)));
    }

    /**
     * What the comments decided earlier in this poll add to the history of the author with the key: approved and
     * rejected ones, as the stored history counts them.
     */
    AuthorHistory.Record decidedBy(String emailKey) {
        int approved = 0;
        int rejected = 0;
        for (Decided earlier : decided) {
            if (emailKey.equals(earlier.emailKey())) {
                if (earlier.outcome() == CommentModerated.Outcome.APPROVED) {
                    approved++;
                } else if (earlier.outcome() == CommentModerated.Outcome.REJECTED) {
                    rejected++;
                }
            }
        }
        return new AuthorHistory.Record(approved, rejected);
    }

    /** The author's comments since {@code since} (to the minute): counted in the store, and decided in this poll. */
    long byEmail(@Nullable String email, Instant since) {
        return count(floods.emailId(email), since, true);
    }

    /** The IP's comments since {@code since} (to the minute): counted in the store, and decided in this poll. */
    long byIp(@Nullable String ip, Instant since) {
        return count(floods.ipId(ip), since, false);
    }

    private long count(@Nullable String id, Instant since, boolean byEmail) {
        if (id == null) {
            return 0;
        }
        long from = FloodCounters.minute(since);
        // read once per poll and window, not once per comment: the local stack sends every comment from one IP
        long count = stored.computeIfAbsent(id + "@" + from, key -> {
            Document found = counters.get(id);
            return found == null ? 0L : floods.count(found, since);
        });
        for (Decided earlier : decided) {
            if (id.equals(byEmail ? earlier.emailCounter() : earlier.ipCounter()) && earlier.minute() >= from) {
                count++;
            }
        }
        return count;
    }

    /**
     * The comments decided earlier in this poll that the store's duplicate look-up would find for the probe (the same
     * exact hash or one of the probe's bands, sent since {@code duplicateSince}), newest first, as past comments: the
     * author's own with the author's address, others' with their key ({@link RecentFingerprints.Entry#toPast}).
     */
    List<PastComment> similar(RecentActivity.Probe probe, @Nullable String authorKey) {
        SortedSet<Integer> matching = new TreeSet<>(Comparator.reverseOrder());
        matching.addAll(decidedByExact.getOrDefault(probe.fingerprint().exact(), List.of()));
        for (Long band : probe.fingerprint().probeBands()) {
            matching.addAll(decidedByBand.getOrDefault(band, List.of()));
        }
        List<PastComment> similar = new ArrayList<>();
        for (int i : matching) {
            RecentFingerprints.Entry entry = decided.get(i).entry();
            if (entry == null || entry.submittedAt().isBefore(probe.duplicateSince())) {
                continue;
            }
            similar.add(entry.toPast(probe.email(), authorKey));
        }
        return similar;
    }
}
