package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * End to end: how long a posted comment takes to become visible on GET, under background intake.
 *
 * <p>Two populations run together: the intake at {@code rate} comments per second (e.g. half the maximum intake
 * rate), and {@code probeRate} probes per second (default 5). Each probe posts to an article of its own, then polls
 * that article's GET every {@code pollMs} (default 10), or every tenth of the time waited so far once that is longer,
 * until the new id is in the page, at most {@code timeoutMs} (default 30,000). The time from just before the POST to the GET that shows it is the probe's latency:
 * <ul>
 * <li>in the HTML report as the group {@code post-to-visible} (src/test/resources/gatling.conf switches groups to
 * their duration, pauses included);</li>
 * <li>recorded exactly ({@link LatencyRecorder}) and written at the end to {@code e2eOut} (default
 * {@code target/gatling/e2e-latency.txt}): count, timeouts, p50, p90, p99, max in ms.</li>
 * </ul>
 * A probe that times out fails its group (KO). With {@code warmup} seconds (default 0), the intake runs that long
 * (after its ramp) before the first probe, in the same JVM: a separate warm-up run left this JVM's own start-up and JIT
 * compilation, on the cores it shares with the system, inside the measured window. Properties: baseUrl, rate (default
 * 25), probeRate, duration, ramp, warmup, pollMs, timeoutMs, e2eOut, p99Max (applies to every request and group).
 */
public class EndToEndSimulation extends Simulation {

    private final double rate = Settings.rate(25);
    private final double probeRate = Double.parseDouble(Settings.string("probeRate", "5"));
    private final Duration poll = Duration.ofMillis(Settings.integer("pollMs", 10));
    private final long timeoutNanos =
            Duration.ofMillis(Settings.integer("timeoutMs", 30_000)).toNanos();
    private final Path out = Path.of(Settings.string("e2eOut", "target/gatling/e2e-latency.txt"));
    private final Duration warmup = Duration.ofSeconds(Settings.integer("warmup", 0));
    private final LatencyRecorder recorder = new LatencyRecorder();

    private final ScenarioBuilder intake = scenario("intake")
            .feed(Comments.articles(Settings.string("articlePrefix", "e2e"), Settings.integer("articles", 100)))
            .exec(Comments.post("post comment"));

    private final ChainBuilder probeOnce = exec(session -> session.set("articleId", "probe-" + UUID.randomUUID())
                    .set("visible", false)
                    .set("start", System.nanoTime()))
            .exec(Comments.post("probe post"))
            // Not accepted: nothing to wait for (Gatling counts the KO).
            .exitHereIfFailed()
            .asLongAs(session -> !session.getBoolean("visible") && !timedOut(session))
            .on(exec(http("probe poll")
                            .get("/api/articles/#{articleId}/comments")
                            .check(status().is(200), bodyString().saveAs("page")))
                    .exec(this::seen)
                    .pause(this::nextPoll))
            .exec(this::record);

    private final ScenarioBuilder probe =
            scenario("end-to-end probe").exec(group("post-to-visible").on(probeOnce));

    {
        System.out.println("end to end: intake " + Settings.describe(rate) + ", " + probeRate + " probes/s"
                + (warmup.isZero() ? "" : " after " + warmup.toSeconds() + " s of intake alone"));
        setUp(
                        intake.injectOpen(IntakeSimulation.injection(rate, warmup.plus(Settings.duration()))),
                        probe.injectOpen(probeSteps()))
                .protocols(Settings.protocol())
                .assertions(Settings.assertions());
    }

    /** Without a warm-up, probes from the start (ramp included); with one, only during the measured duration. */
    private OpenInjectionStep[] probeSteps() {
        if (warmup.isZero()) {
            return new OpenInjectionStep[] {
                constantUsersPerSec(probeRate).during(Settings.ramp().plus(Settings.duration()))
            };
        }
        return new OpenInjectionStep[] {
            nothingFor(Settings.ramp().plus(warmup)),
            constantUsersPerSec(probeRate).during(Settings.duration())
        };
    }

    /**
     * Every {@code pollMs}, or a tenth of the time waited so far if that is longer: a figure within 10 % (the
     * resolution is {@code pollMs} where it matters, under a second), and probes that wait long do not flood the
     * system they measure with GETs (at a fixed 50 ms, five probes a second waiting 30 s each made 3,000 GETs/s,
     * which starved the pipeline that made them wait).
     */
    private Duration nextPoll(Session session) {
        Duration waited = Duration.ofNanos(System.nanoTime() - session.getLong("start"));
        Duration tenth = waited.dividedBy(10);
        return tenth.compareTo(poll) > 0 ? tenth : poll;
    }

    private boolean timedOut(Session session) {
        return System.nanoTime() - session.getLong("start") > timeoutNanos;
    }

    private Session seen(Session session) {
        String page = session.contains("page") ? session.getString("page") : null;
        String id = session.contains("commentId") ? session.getString("commentId") : null;
        boolean visible = page != null && id != null && page.contains("\"" + id + "\"");
        return session.set("visible", visible);
    }

    private Session record(Session session) {
        if (session.isFailed()) {
            recorder.failed();
            return session;
        }
        if (!session.getBoolean("visible")) {
            recorder.timedOut();
            // Fails the group, so the report shows the probe as KO.
            return session.markAsFailed();
        }
        recorder.record(System.nanoTime() - session.getLong("start"));
        return session;
    }

    @Override
    public void after() {
        String summary = recorder.summary();
        System.out.println("post-to-visible: " + summary);
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, summary + System.lineSeparator());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Keeps every latency (a few thousand probes at most), so percentiles are exact. */
    static final class LatencyRecorder {

        private final java.util.List<Long> nanos = new java.util.ArrayList<>();
        private int timeouts;
        private int failures;

        synchronized void record(long elapsedNanos) {
            nanos.add(elapsedNanos);
        }

        synchronized void timedOut() {
            timeouts++;
        }

        synchronized void failed() {
            failures++;
        }

        synchronized String summary() {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return String.format(
                    Locale.ROOT,
                    "count=%d timeouts=%d failed=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f",
                    sorted.length,
                    timeouts,
                    failures,
                    percentile(sorted, 50),
                    percentile(sorted, 90),
                    percentile(sorted, 99),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
        }

        /** Nearest-rank percentile, in milliseconds. */
        static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }
}
