package dev.talkback.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link RecentActivity} in memory (a list scanned per lookup): for the command line, tests and benchmarks. */
public final class InMemoryRecentActivity implements RecentActivity {

    private record Entry(PastComment comment, String ip, Instant at) {}

    private final List<Entry> entries = new ArrayList<>();

    public synchronized void record(Submission submission, TextFingerprint fingerprint, Instant at) {
        entries.add(new Entry(
                new PastComment(submission.commentId(), submission.articleId(), submission.email(), fingerprint),
                submission.clientIp(),
                at));
    }

    @Override
    public synchronized Snapshot lookup(Probe probe) {
        int byEmail = 0;
        int byIp = 0;
        List<PastComment> similar = new ArrayList<>();
        List<Long> bands = probe.fingerprint().probeBands();
        for (Entry e : entries) {
            if (!e.at().isBefore(probe.floodSince())) {
                if (probe.email() != null
                        && probe.email().equalsIgnoreCase(e.comment().email())) {
                    byEmail++;
                }
                if (probe.ip() != null && probe.ip().equals(e.ip())) {
                    byIp++;
                }
            }
            if (!e.at().isBefore(probe.duplicateSince())) {
                TextFingerprint f = e.comment().fingerprint();
                boolean candidate = f.exact() == probe.fingerprint().exact()
                        || f.bands().stream().anyMatch(bands::contains);
                if (candidate) {
                    similar.add(e.comment());
                }
            }
        }
        return new Snapshot(byEmail, byIp, similar);
    }

    public synchronized int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "InMemoryRecentActivity[" + Objects.toString(entries.size()) + "]";
    }
}
