package dev.talkback.engine;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Recent comments, for duplicates and floods; the service answers from MongoDB so that the limits hold across
 * instances. Near-duplicates are found by SimHash bands: two fingerprints within 7 bits of each other have one of
 * their four 16-bit bands at most one bit apart ({@link TextFingerprint#bands()}, {@link TextFingerprint#probeBands()}),
 * so an index on the bands finds the candidates (about one in a thousand unrelated recent comments), and the engine
 * measures the real distance.
 */
public interface RecentActivity {

    /**
     * What the engine asks.
     *
     * @param email          the author's address (or null)
     * @param ip             the client IP (or null)
     * @param fingerprint    of the new comment's text
     * @param floodSince     count comments by email and by IP since then
     * @param duplicateSince look for same or similar texts since then
     */
    record Probe(
            @Nullable String email,
            @Nullable String ip,
            TextFingerprint fingerprint,
            Instant floodSince,
            Instant duplicateSince) {}

    /** An earlier comment whose exact hash or one of whose SimHash bands matches. */
    record PastComment(
            String commentId,
            @Nullable String articleId,
            @Nullable String email,
            TextFingerprint fingerprint) {}

    /** The answer. */
    record Snapshot(int byEmail, int byIp, List<PastComment> similar) {

        public static final Snapshot EMPTY = new Snapshot(0, 0, List.of());

        public Snapshot {
            similar = List.copyOf(similar);
        }
    }

    Snapshot lookup(Probe probe);

    static RecentActivity none() {
        return probe -> Snapshot.EMPTY;
    }
}
