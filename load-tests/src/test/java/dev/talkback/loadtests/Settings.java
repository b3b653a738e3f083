package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Locale;

/**
 * The system properties every simulation reads, e.g.
 * {@code -DbaseUrl=http://localhost:8080 -Drate=200 -Dduration=60 -Dp99Max=100}.
 */
final class Settings {

    private Settings() {}

    /** Where the stack (or the bare endpoint) answers. */
    static String baseUrl() {
        return System.getProperty("baseUrl", "http://localhost:8080");
    }

    /** Arrivals per second (each virtual user does one request, or one probe). */
    static double rate(double fallback) {
        return Double.parseDouble(System.getProperty("rate", Double.toString(fallback)));
    }

    /** How long the constant rate lasts. */
    static Duration duration() {
        return Duration.ofSeconds(Long.parseLong(System.getProperty("duration", "60")));
    }

    /** Seconds of linear ramp from 0 to the rate before the constant part (0: none). */
    static Duration ramp() {
        return Duration.ofSeconds(Long.parseLong(System.getProperty("ramp", "0")));
    }

    static String string(String name, String fallback) {
        return System.getProperty(name, fallback);
    }

    static int integer(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)));
    }

    /** One HTTP pool shared by all virtual users, like a reverse proxy in front of the service. */
    static HttpProtocolBuilder protocol() {
        return http.baseUrl(baseUrl())
                .acceptHeader("application/json")
                .userAgentHeader("talkback-load-tests")
                .shareConnections()
                // a public URL that answers at once (the actuator is on the management port, not at baseUrl)
                .warmUp(baseUrl() + "/embed.js")
                .disableCaching();
    }

    /**
     * With {@code -Dp99Max=<ms>}: the run fails (non-zero exit of {@code gatling:test}) unless every request is OK
     * and the 99th percentile of response times is under that many milliseconds. bench/run-all.sh searches the
     * highest rate that passes.
     */
    static Assertion[] assertions() {
        String p99 = System.getProperty("p99Max");
        if (p99 == null || p99.isBlank()) {
            return new Assertion[0];
        }
        return new Assertion[] {
            global().responseTime().percentile(99.0).lt(Integer.parseInt(p99.trim())),
            global().failedRequests().count().is(0L),
        };
    }

    static String describe(double rate) {
        return String.format(
                Locale.ROOT,
                "%s at %.1f/s for %ds (ramp %ds)",
                baseUrl(),
                rate,
                duration().toSeconds(),
                ramp().toSeconds());
    }
}
