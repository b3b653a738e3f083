package dev.talkback.comments.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.engine.AbuseModel;
import dev.talkback.support.web.ApiProblem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;

/** The nudge's model holder: trained off the caller's thread, 503 until ready, scoring on its own threads. */
class AbuseNudgeTests {

    @Test
    void untilTheModelIsTrainedACheckIs503WithRetryAfterThenItScoresOnItsOwnThreads() throws Exception {
        CountDownLatch trainingMayFinish = new CountDownLatch(1);
        AbuseNudge nudge = new AbuseNudge(properties(true), () -> {
            awaitRelease(trainingMayFinish);
            return AbuseModel.shipped();
        });
        try {
            // returns at once: the training waits on a scoring thread, not on the caller (an event loop)
            nudge.warmUp();
            assertThat(nudge.ready()).isFalse();
            assertThatThrownBy(() -> nudge.flags("Hello").block(Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                        assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                        assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(10));
                    });

            trainingMayFinish.countDown();
            await().atMost(Duration.ofSeconds(30)).until(nudge::ready);
            String thread = nudge.flags("The council meets on Tuesday.")
                    .map(flags -> Thread.currentThread().getName())
                    .block(Duration.ofSeconds(10));
            assertThat(thread).startsWith("abuse-nudge");
            assertThat(nudge.flags("The council meets on Tuesday.").block(Duration.ofSeconds(10)))
                    .isEmpty();
        } finally {
            trainingMayFinish.countDown();
            nudge.destroy();
        }
    }

    @Test
    void whenOffNoModelIsTrainedAndNoThreadStarted() {
        AtomicInteger trainings = new AtomicInteger();
        AbuseNudge nudge = new AbuseNudge(properties(false), () -> {
            trainings.incrementAndGet();
            return AbuseModel.shipped();
        });
        nudge.warmUp();
        assertThat(nudge.enabled()).isFalse();
        assertThat(nudge.ready()).isFalse();
        assertThat(trainings).hasValue(0);
        assertThatThrownBy(() -> nudge.flags("Hello").block()).isInstanceOf(ApiProblem.class);
    }

    private static CommentsProperties properties(boolean enabled) {
        var source = new MapConfigurationPropertySource(Map.of(
                "comments.nudge.enabled",
                Boolean.toString(enabled),
                "comments.allowed-origins",
                List.of("http://localhost:8080")));
        return new Binder(source).bindOrCreate("comments", Bindable.of(CommentsProperties.class));
    }

    private static void awaitRelease(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
