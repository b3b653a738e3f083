package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Mixed traffic as on a news site: of {@code rate} arrivals per second, 95 % read an article's comments and 5 % post
 * one, over {@code articles} articles. Properties: baseUrl, rate (default 100), duration, ramp, articles (50),
 * writePercent (5), p99Max.
 */
public class MixedSimulation extends Simulation {

    private final double rate = Settings.rate(100);
    private final double writes = Double.parseDouble(Settings.string("writePercent", "5"));

    private final ScenarioBuilder mixed = scenario("mixed")
            .feed(Comments.articles(Settings.string("articlePrefix", "mixed"), Settings.integer("articles", 50)))
            .exec(randomSwitch()
                    .on(
                            percent(100 - writes).then(Comments.read("get comments", Settings.integer("limit", 20))),
                            percent(writes).then(Comments.post("post comment"))));

    {
        System.out.println("mixed: " + Settings.describe(rate) + ", " + writes + " % posts");
        setUp(mixed.injectOpen(IntakeSimulation.injection(rate)))
                .protocols(Settings.protocol())
                .assertions(Settings.assertions());
    }
}
