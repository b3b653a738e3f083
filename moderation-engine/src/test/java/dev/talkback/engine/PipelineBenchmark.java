package dev.talkback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the whole pipeline, one comment per operation (so ops/s = comments/s): every phase runs, with DNS
 * answers cached (a table lookup, as with a warm {@link CachingDomainResolver}), in-memory bans, author history and
 * recent activity, 1,000 banned and 1,000 suspect words, and the shipped spam model. The comments are the shipped
 * YouTube and SMS corpora in turn. Run with bench/engine-throughput.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBenchmark {

    private ModerationEngine engine;
    private ModerationSettings settings;
    private List<Submission> submissions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        InMemoryBanList bans = new InMemoryBanList();
        bans.add(new BanList.Ban(BanList.Kind.NETWORK, "203.0.113.0/24", "bench", null));
        bans.add(new BanList.Ban(BanList.Kind.DOMAIN, "banned.example", "bench", null));
        InMemoryAuthorHistory history = new InMemoryAuthorHistory();
        history.recordDecision("reader0@example.org", Verdict.APPROVE);
        RecentActivity.Snapshot recent = new RecentActivity.Snapshot(
                1,
                2,
                List.of(new RecentActivity.PastComment(
                        "old", "article", "other@example.org", new TextFingerprint(1L, 0x5555_5555_5555_5555L, 12))));
        engine = ModerationEngine.builder()
                .banList(bans)
                .authorHistory(history)
                .recentActivity(probe -> recent)
                .domainResolver(new StaticDomainResolver(Map.of(), DomainResolver.Status.RESOLVES))
                .spamModel(SpamModel.shipped())
                .build();
        Set<String> banned = new HashSet<>();
        Set<String> suspect = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            banned.add("bannedword" + Integer.toString(i, 26).replaceAll("[0-9]", "q"));
            suspect.add("suspect phrase " + Integer.toString(i, 26).replaceAll("[0-9]", "z"));
        }
        settings = ModerationSettings.defaults().withWords(banned, suspect).withFloods(Duration.ofMinutes(10), 5, 20);
        submissions = new ArrayList<>();
        List<SpamModel.LabeledComment> corpus = SpamModel.shippedExamples();
        for (int i = 0; i < corpus.size(); i++) {
            submissions.add(new Submission(
                    "c" + i,
                    "article-" + (i % 7),
                    "Reader",
                    "reader" + (i % 50) + "@example.org",
                    null,
                    corpus.get(i).text(),
                    "198.51.100." + (i % 200)));
        }
        engine.decide(submissions.get(0), settings);
    }

    @Benchmark
    public Decision decide() {
        Submission s = submissions.get(next);
        next = next + 1 == submissions.size() ? 0 : next + 1;
        return engine.decide(s, settings);
    }
}
