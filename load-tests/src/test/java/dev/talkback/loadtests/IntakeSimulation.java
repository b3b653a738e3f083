package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * Intake: {@code rate} comments per second (open model: arrivals do not wait for answers) spread over
 * {@code articles} articles, each a valid, varied comment with its own email; every answer must be {@code 202}.
 * Properties: baseUrl, rate (default 50), duration (s), ramp (s), articles (100), p99Max (ms, optional).
 */
public class IntakeSimulation extends Simulation {

    private final double rate = Settings.rate(50);

    private final ScenarioBuilder intake = scenario("intake")
            .feed(Comments.articles(Settings.string("articlePrefix", "load"), Settings.integer("articles", 100)))
            .exec(Comments.post("post comment"));

    {
        System.out.println("intake: " + Settings.describe(rate));
        setUp(intake.injectOpen(injection(rate))).protocols(Settings.protocol()).assertions(Settings.assertions());
    }

    /** Optional linear ramp, then a constant rate for the duration. */
    static OpenInjectionStep[] injection(double rate) {
        return injection(rate, Settings.duration());
    }

    /** Optional linear ramp, then a constant rate for {@code constant}. */
    static OpenInjectionStep[] injection(double rate, java.time.Duration constant) {
        if (Settings.ramp().isZero()) {
            return new OpenInjectionStep[] {constantUsersPerSec(rate).during(constant)};
        }
        return new OpenInjectionStep[] {
            rampUsersPerSec(0).to(rate).during(Settings.ramp()),
            constantUsersPerSec(rate).during(constant),
        };
    }
}
