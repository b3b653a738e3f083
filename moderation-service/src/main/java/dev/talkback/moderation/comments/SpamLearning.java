package dev.talkback.moderation.comments;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.SpamModel;
import dev.talkback.moderation.ModerationProperties;

/**
 * The spam model learns from moderators. Every comment a moderator labelled {@code SPAM} or {@code HAM} is a labelled
 * example; every {@code moderation.model.retrain-interval} (and at start-up) each instance reads the labels from
 * MongoDB and, when they changed since its last training, trains the shipped model again with them on its own thread
 * (about a second) and swaps it into the engine: no restart, and the listener never waits for a training. Every
 * instance trains on the same labels from the same store, so all converge on the same model version (the version is a
 * hash of the training set).
 *
 * <p>Plain APPROVE and REJECT decisions are not used as labels: moderators reject for many reasons that are not spam
 * (abuse, off topic, a ban) and approve borderline comments, so those would teach the model the wrong thing. A
 * moderator who means "spam" says SPAM (or HAM).
 */
@Component
class SpamLearning implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SpamLearning.class);

    private final ReactiveMongoTemplate mongo;
    private final ModerationEngine engine;
    private final ModerationProperties properties;
    private final ScheduledExecutorService trainer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "spam-learning");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });

    /** What the current model was trained on (only touched by the trainer thread). */
    private @Nullable Integer trainedOn;

    SpamLearning(ReactiveMongoTemplate mongo, ModerationEngine engine, ModerationProperties properties) {
        this.mongo = mongo;
        this.engine = engine;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        long period = properties.model().retrainInterval().toMillis();
        trainer.scheduleWithFixedDelay(() -> {
            try {
                retrainIfLabelsChanged();
            }
            catch (RuntimeException e) {
                // keep the current model; the next round tries again
                log.warn("Could not retrain the spam model: {}", e.toString());
            }
        }, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        trainer.shutdownNow();
    }

    /** Retrains now if the labels changed (on the trainer thread, waiting for it); returns the model in use. */
    String retrainNow() {
        try {
            trainer.submit(this::retrainIfLabelsChanged).get(2, TimeUnit.MINUTES);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Retraining failed", e);
        }
        return engine.spamModel().map(SpamModel::version).orElse("none");
    }

    private void retrainIfLabelsChanged() {
        Query labelled = Query.query(Criteria.where("label").in("SPAM", "HAM")).with(Sort.by("_id"));
        labelled.fields().include("label", "text");
        List<Labelled> labels = mongo.find(labelled, Labelled.class, "comments").collectList()
                .block(properties.storeTimeout());
        if (labels == null || labels.isEmpty()) {
            return;
        }
        int signature = Objects.hash(labels.toArray());
        if (trainedOn != null && trainedOn == signature) {
            return;
        }
        long started = System.nanoTime();
        List<SpamModel.LabeledComment> examples = labels.stream()
                .map(l -> new SpamModel.LabeledComment("SPAM".equals(l.label()), l.text()))
                .toList();
        SpamModel model = SpamModel.shipped().retrainedWith(examples);
        engine.useSpamModel(model);
        trainedOn = signature;
        log.info("Spam model {} in use: retrained with {} moderator labels in {} ms", model.version(), labels.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** A labelled comment as read for training. */
    record Labelled(String id, String label, String text) {
    }
}
