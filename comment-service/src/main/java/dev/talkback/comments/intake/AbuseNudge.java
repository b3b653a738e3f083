package dev.talkback.comments.intake;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.engine.AbuseCategory;
import dev.talkback.engine.AbuseModel;
import dev.talkback.support.web.ApiProblem;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Scores drafts with moderation-engine's shipped abuse model, for the "think again" nudge. The model is trained once,
 * at start-up and off the request path; until it is ready a check answers {@code 503} with {@code Retry-After} (not an
 * empty list, which would tell the author that the draft was found harmless). Scoring is CPU work: it runs on a
 * scheduler of its own, {@code comments.nudge.threads} threads and at most {@code comments.nudge.max-queued} drafts
 * waiting, never on an event-loop thread; beyond that a check answers {@code 503} too. The engine's text pipeline is
 * linear and a draft at most 10,000 characters, which bounds the CPU of one check.
 */
@Component
class AbuseNudge implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AbuseNudge.class);

    private final CommentsProperties properties;
    private final Supplier<AbuseModel> training;
    private final @Nullable Scheduler scoring;
    private volatile @Nullable AbuseModel model;

    @Autowired
    AbuseNudge(CommentsProperties properties) {
        this(properties, AbuseModel::shipped);
    }

    AbuseNudge(CommentsProperties properties, Supplier<AbuseModel> training) {
        this.properties = properties;
        this.training = training;
        CommentsProperties.Nudge nudge = properties.nudge();
        this.scoring = nudge.enabled()
                ? Schedulers.newBoundedElastic(nudge.threads(), nudge.maxQueued(), "abuse-nudge")
                : null;
    }

    /** A category named to the author: its id, score, a few words for it and what to change. */
    record Flag(String category, double score, String description, String advice) {}

    boolean enabled() {
        return scoring != null;
    }

    boolean ready() {
        return model != null;
    }

    double holdFrom() {
        return properties.nudge().holdFrom();
    }

    /** Trains the model on a scoring thread once the service is up, so that no reader's request waits for it. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (scoring == null) {
            return;
        }
        long start = System.nanoTime();
        Mono.fromCallable(training::get)
                .subscribeOn(scoring)
                .subscribe(
                        trained -> {
                            model = trained;
                            log.info(
                                    "Abuse model {} ready for the nudge in {} ms",
                                    trained.version(),
                                    (System.nanoTime() - start) / 1_000_000);
                        },
                        ex -> log.error("The abuse model could not be trained; draft checks answer 503", ex));
    }

    /**
     * The categories of the draft scored at or above {@code comments.nudge.hold-from}, highest first.
     *
     * @return a {@code 503} {@link ApiProblem} (with {@code Retry-After}) while the model is not ready or every
     *         scoring thread and queue place is taken
     */
    Mono<List<Flag>> flags(String text) {
        AbuseModel current = model;
        if (scoring == null || current == null) {
            return Mono.error(unavailable("The abuse check is starting up, try again later."));
        }
        double holdFrom = holdFrom();
        return Mono.fromCallable(() -> {
                    AbuseModel.Assessment assessment = current.assess(text);
                    return assessment.atLeast(holdFrom).stream()
                            .map(c -> flag(c, assessment.score(c)))
                            .toList();
                })
                .subscribeOn(scoring)
                .onErrorMap(
                        RejectedExecutionException.class,
                        ex -> unavailable("Too many drafts are being checked, try again later."));
    }

    private static Flag flag(AbuseCategory category, double score) {
        // three decimals: a score is a calibrated probability, finer digits tell a reader nothing
        return new Flag(category.id(), Math.round(score * 1000) / 1000.0, category.description(), category.advice());
    }

    private ApiProblem unavailable(String detail) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, detail, List.of(), properties.retryAfter());
    }

    @Override
    public void destroy() {
        if (scoring != null) {
            scoring.dispose();
        }
    }
}
