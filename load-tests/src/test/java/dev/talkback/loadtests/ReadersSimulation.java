package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Readers: {@code rate} GETs per second of the first page of one article's comments (seed a big one first with
 * {@link SeedSimulation}). Properties: baseUrl, rate (default 100), duration, ramp, articleId (bench-2000), limit
 * (20, the widget's page), p99Max.
 */
public class ReadersSimulation extends Simulation {

    private final double rate = Settings.rate(100);

    private final ScenarioBuilder readers = scenario("readers")
            .exec(Comments.constant("articleId", Settings.string("articleId", "bench-2000")))
            .exec(Comments.read("get comments", Settings.integer("limit", 20)));

    {
        System.out.println("readers: " + Settings.describe(rate));
        setUp(readers.injectOpen(IntakeSimulation.injection(rate)))
                .protocols(Settings.protocol())
                .assertions(Settings.assertions());
    }
}
