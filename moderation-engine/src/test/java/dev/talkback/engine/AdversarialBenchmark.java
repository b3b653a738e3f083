package dev.talkback.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decision time of hostile texts ({@link AdversarialText}), the whole pipeline with the shipped spam model and no
 * budget (the budget would hide a slow phase), at the intake's limit of 10,000 characters and at 1,250 for the growth:
 * {@code worstShape}, the shape that is slowest at 10,000 characters (chosen at set-up by timing every shape, and
 * printed), and {@code everyShape}, every shape once per operation. Run (after test-compile, with the classpath
 * bench/engine-throughput.sh builds):
 * {@code java -cp "$cp" org.openjdk.jmh.Main AdversarialBenchmark -wi 3 -w 1s -i 5 -r 1s -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AdversarialBenchmark {

    private static final int FULL = 10_000;

    @Param({"1250", "10000"})
    public int length;

    private ModerationEngine engine;
    private ModerationSettings settings;
    private Submission worst;
    private List<Submission> every;

    @Setup(Level.Trial)
    public void setUp() {
        engine = ModerationEngine.builder().spamModel(SpamModel.shipped()).build();
        settings = ModerationSettings.defaults()
                .withWords(Set.of("viagra", "paypal", "casino royale"), Set.of("check my channel"));
        List<AdversarialText.Shape> shapes = AdversarialText.shapes();
        every = shapes.stream().map(shape -> submission(shape.of(length))).toList();
        // the slowest shape at the full length, by the least CPU time of a few decisions each after a warm-up (CPU
        // time, so that other processes on the machine do not choose it)
        for (int round = 0; round < 3; round++) {
            shapes.forEach(shape -> engine.decide(submission(shape.of(FULL)), settings));
        }
        AdversarialText.Shape slowest = null;
        long slowestNanos = -1;
        for (AdversarialText.Shape shape : shapes) {
            Submission s = submission(shape.of(FULL));
            long least = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long start = Deadline.Ticker.SYSTEM.cpuNanos();
                engine.decide(s, settings);
                least = Math.min(least, Deadline.Ticker.SYSTEM.cpuNanos() - start);
            }
            if (least > slowestNanos) {
                slowestNanos = least;
                slowest = shape;
            }
        }
        System.out.printf(
                "%nslowest shape at %,d chars: %s (%.2f ms of CPU at set-up)%n", FULL, slowest, slowestNanos / 1e6);
        worst = submission(slowest.of(length));
    }

    private static Submission submission(String text) {
        return new Submission("c", "article", "Ada", "ada@example.org", null, text, "198.51.100.7");
    }

    @Benchmark
    public Decision worstShape() {
        return engine.decide(worst, settings);
    }

    @Benchmark
    public int everyShape() {
        int held = 0;
        for (Submission s : every) {
            held += engine.decide(s, settings).verdict() == Verdict.HOLD ? 1 : 0;
        }
        return held;
    }
}
