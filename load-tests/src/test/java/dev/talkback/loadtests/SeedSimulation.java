package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Seeds one article with {@code comments} comments (default 2,000, article {@code bench-2000}) at {@code rate} per
 * second (default 100), for the readers' measurement. Moderation publishes them shortly after; wait until the
 * article's {@code total} reaches the count before reading.
 */
public class SeedSimulation extends Simulation {

    private final int comments = Settings.integer("comments", 2000);
    private final double rate = Settings.rate(100);

    private final ScenarioBuilder seed = scenario("seed")
            .exec(Comments.constant("articleId", Settings.string("articleId", "bench-2000")))
            .exec(Comments.post("post comment"));

    {
        Duration during = Duration.ofMillis((long) Math.ceil(comments / rate * 1000));
        System.out.println("seed: " + comments + " comments at " + rate + "/s on " + Settings.baseUrl());
        // rampUsers: exactly `comments` arrivals, evenly spread.
        setUp(seed.injectOpen(rampUsers(comments).during(during))).protocols(Settings.protocol());
    }
}
