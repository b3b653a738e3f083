package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile shape of {@link AdversarialText} is decided quickly and in time that grows about linearly with its
 * length, by the whole engine without a budget (the budget would hide a slow phase). Not a benchmark: the bounds are
 * wide enough for a busy shared machine (a quadratic phase takes 16 times as long for 4 times the text, the regular
 * expression this replaced took seconds); the figures are measured by {@link AdversarialBenchmark}.
 */
class AdversarialTextTests {

    /** Longest a comment may be at the intake. */
    static final int INTAKE_LIMIT = 10_000;

    private static final Duration SLOWEST = Duration.ofSeconds(1);
    private static final int RUNS = 5;

    private static final ModerationEngine ENGINE =
            ModerationEngine.builder().spamModel(SpamModel.shipped()).build();
    private static final ModerationSettings SETTINGS = ModerationSettings.defaults()
            .withWords(java.util.Set.of("viagra", "paypal", "casino royale"), java.util.Set.of("check my channel"));

    static List<AdversarialText.Shape> shapes() {
        return AdversarialText.shapes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void isDecidedWithinASecondAndInAboutLinearTime(AdversarialText.Shape shape) {
        String quarter = shape.of(INTAKE_LIMIT / 4);
        String full = shape.of(INTAKE_LIMIT);
        // warm the phases this shape reaches, so that neither text is timed in the interpreter
        best(quarter);
        best(full);

        long quarterNanos = best(quarter);
        long fullNanos = best(full);

        assertThat(Duration.ofNanos(fullNanos))
                .as("decision time at %,d chars", INTAKE_LIMIT)
                .isLessThan(SLOWEST);
        // linear is 4x; quadratic 16x. 10 ms of slack for the noise of a busy machine around small figures.
        assertThat(fullNanos)
                .as(
                        "growth from %,d to %,d chars (%.1f ms to %.1f ms)",
                        INTAKE_LIMIT / 4, INTAKE_LIMIT, quarterNanos / 1e6, fullNanos / 1e6)
                .isLessThan(8 * quarterNanos + 10_000_000L);
    }

    /**
     * The least CPU time of a few decisions: CPU time, since wall time on a busy machine is mostly other processes'
     * turns; the least, to leave out a garbage collection or a compilation that landed in one run.
     */
    private static long best(String text) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long start = Deadline.Ticker.SYSTEM.cpuNanos();
            Decision d = ENGINE.decide(
                    new Submission("c" + i, "article", "Ada", "ada@example.org", null, text, "198.51.100.7"), SETTINGS);
            best = Math.min(best, Deadline.Ticker.SYSTEM.cpuNanos() - start);
            assertThat(d.verdict()).isNotNull();
            if (best > SLOWEST.toNanos()) {
                break;
            }
        }
        return best;
    }
}
