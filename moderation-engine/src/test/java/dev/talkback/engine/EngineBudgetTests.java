package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The CPU budget of a decision, on clocks the test moves, and a decision abandoned because it is no longer wanted. */
class EngineBudgetTests {

    private static final String ORDINARY = "I think the council should publish the full budget before the vote.";

    /** Clocks that move by a fixed step of CPU (and wall) time at every reading: each check costs that much. */
    private static final class SteppingTicker implements Deadline.Ticker {
        private final long cpuStep;
        private final long wallStep;
        private long cpu;
        private long wall;

        SteppingTicker(Duration cpuStep, Duration wallStep) {
            this.cpuStep = cpuStep.toNanos();
            this.wallStep = wallStep.toNanos();
        }

        @Override
        public long wallNanos() {
            return wall += wallStep;
        }

        @Override
        public long cpuNanos() {
            return cpu += cpuStep;
        }
    }

    private final AtomicInteger banLookups = new AtomicInteger();
    private final BanList countingBans = (email, domain, ip, now) -> {
        banLookups.incrementAndGet();
        return Optional.empty();
    };

    private ModerationEngine engine(Duration budget, Deadline.Ticker ticker) {
        return ModerationEngine.builder()
                .banList(countingBans)
                .spamModel(SpamModel.shipped())
                .budget(budget)
                .ticker(ticker)
                .build();
    }

    private static Submission submission(String text) {
        return new Submission("c1", "article", "Ada", "ada@example.org", null, text, "198.51.100.7");
    }

    @Test
    void theStartUpWarmUpDecidesWithTheModelsButAsksAndWritesNoStore() {
        InMemoryRecentActivity activity = new InMemoryRecentActivity();
        ModerationEngine engine = ModerationEngine.builder()
                .banList(countingBans)
                .recentActivity(activity)
                .authorHistory(email -> {
                    throw new AssertionError("the warm-up asked for an author's history");
                })
                .domainResolver(domain -> {
                    throw new AssertionError("the warm-up looked up a mail domain");
                })
                .spamModel(SpamModel.shipped())
                .budget(Duration.ofMillis(100))
                .build();

        engine.warmUp();

        assertThat(banLookups).hasValue(0);
        assertThat(activity.size()).isZero();
    }

    @Test
    void aDecisionOverTheBudgetIsHeldForAPersonInsteadOfRunningOn() {
        // every reading of the clocks is 30 ms later: the budget of 50 ms is spent by the second check
        ModerationEngine engine =
                engine(Duration.ofMillis(50), new SteppingTicker(Duration.ofMillis(30), Duration.ofMillis(30)));

        Decision d = engine.decide(submission(ORDINARY), ModerationSettings.defaults());

        assertThat(d.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly(ModerationEngine.BUDGET_RULE);
        assertThat(d.reasons().get(0).message()).contains("50.0 ms").contains("held for a person");
        assertThat(d.publicReason()).isNull();
        assertThat(d.spamProbability()).isEmpty();
    }

    @Test
    void aDecisionWithinTheBudgetIsTheUsualOne() {
        ModerationEngine engine =
                engine(Duration.ofMillis(50), new SteppingTicker(Duration.ofNanos(100), Duration.ofNanos(100)));

        Decision d = engine.decide(submission(ORDINARY), ModerationSettings.defaults());

        assertThat(d.verdict()).isEqualTo(Verdict.APPROVE);
        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly(Decision.PASSED);
    }

    @Test
    void timeSpentWaitingIsNotSpentFromTheBudget() {
        // the wall clock runs (waiting for the store, or descheduled) but the thread uses little CPU
        ModerationEngine engine =
                engine(Duration.ofMillis(50), new SteppingTicker(Duration.ofNanos(100), Duration.ofSeconds(1)));

        Decision d = engine.decide(submission(ORDINARY), ModerationSettings.defaults());

        assertThat(d.verdict()).isEqualTo(Verdict.APPROVE);
    }

    @Test
    void theBudgetIsCheckedInsideTheLongestLoopsNotOnlyBetweenPhases() {
        // a long text: the words loop checks every 256 words; the clocks jump at the eighth reading (six checks of
        // the normalisation before the words), which only a check inside the words loop sees before the bans
        AtomicInteger readings = new AtomicInteger();
        Deadline.Ticker ticker = new Deadline.Ticker() {
            @Override
            public long wallNanos() {
                return readings.incrementAndGet() >= 8 ? Long.MAX_VALUE / 2 : 0;
            }

            @Override
            public long cpuNanos() {
                return readings.get() >= 8 ? Long.MAX_VALUE / 2 : 0;
            }
        };
        ModerationEngine engine = engine(Duration.ofMillis(50), ticker);

        Decision d = engine.decide(submission("word ".repeat(2_000)), ModerationSettings.defaults());

        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly(ModerationEngine.BUDGET_RULE);
        assertThat(d.reasons().get(0).message()).contains("words phase");
        assertThat(banLookups).hasValue(0);
    }

    @Test
    void withoutABudgetNothingIsHeldForTime() {
        ModerationEngine engine = engine(null, new SteppingTicker(Duration.ofSeconds(1), Duration.ofSeconds(1)));

        assertThat(engine.decide(submission(ORDINARY), ModerationSettings.defaults())
                        .verdict())
                .isEqualTo(Verdict.APPROVE);
    }

    @Test
    void aDecisionNoLongerWantedIsAbandonedBeforeAnyPhaseRuns() {
        ModerationEngine engine = engine(Duration.ofMillis(50), Deadline.Ticker.SYSTEM);

        Optional<Decision> d = engine.decideUnless(submission(ORDINARY), ModerationSettings.defaults(), () -> true);

        assertThat(d).isEmpty();
        assertThat(banLookups).hasValue(0);
    }

    @Test
    void aDecisionAbandonedHalfWayStopsAtTheNextCheck() {
        ModerationEngine engine = engine(null, Deadline.Ticker.SYSTEM);
        // wanted until the bans were looked up (as if the look-up of a stored decision answered then)
        Optional<Decision> d =
                engine.decideUnless(submission(ORDINARY), ModerationSettings.defaults(), () -> banLookups.get() > 0);

        assertThat(d).isEmpty();
        assertThat(banLookups).hasValue(1);
    }

    @Test
    void aDecisionStillWantedIsReturned() {
        ModerationEngine engine = engine(null, Deadline.Ticker.SYSTEM);

        assertThat(engine.decideUnless(submission(ORDINARY), ModerationSettings.defaults(), () -> false))
                .hasValueSatisfying(d -> assertThat(d.verdict()).isEqualTo(Verdict.APPROVE));
    }
}
