package dev.talkback.moderation.comments;

import dev.talkback.engine.AbuseCategory;
import dev.talkback.engine.AbuseModel;
import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.SpamModel;
import dev.talkback.moderation.ModerationProperties;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The spam and abuse models learn from moderators. Every comment a moderator labelled {@code SPAM} or {@code HAM} is
 * an example for the spam model, every one labelled {@code ABUSE} (with its category when the moderator named one) or
 * {@code NOT_ABUSE} one for the abuse model. Every {@code moderation.model.retrain-interval} (and at start-up) each
 * instance reads the labels from MongoDB and, for each model whose labels changed since its last training, trains the
 * shipped model again with them on its own thread and swaps it into the engine: no restart, and the listener never
 * waits for a training. Every instance trains on the same labels from the same store, so all converge on the same
 * model versions (a version is a hash of the training set).
 *
 * <p>Plain APPROVE and REJECT decisions are not used as labels: moderators reject for many reasons that are neither
 * spam nor abuse (off topic, a ban) and approve borderline comments, so those would teach the models the wrong thing.
 * A moderator who means "spam" or "abusive" says so.
 */
@Component
class ModelLearning implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ModelLearning.class);

    private final ReactiveMongoTemplate mongo;
    private final ModerationEngine engine;
    private final ModerationProperties properties;
    private final Learner<SpamModel.LabeledComment, SpamModel> spam;
    private final Learner<AbuseModel.LabeledComment, AbuseModel> abuse;

    ModelLearning(ReactiveMongoTemplate mongo, ModerationEngine engine, ModerationProperties properties) {
        this.mongo = mongo;
        this.engine = engine;
        this.properties = properties;
        this.spam = new Learner<>(
                "spam",
                Set.of("SPAM", "HAM"),
                l -> new SpamModel.LabeledComment("SPAM".equals(l.label()), l.text()),
                SpamModel::shipped,
                examples -> SpamModel.shipped().retrainedWith(examples),
                engine::useSpamModel,
                SpamModel::version);
        this.abuse = new Learner<>(
                "abuse",
                Set.of("ABUSE", "NOT_ABUSE"),
                l -> new AbuseModel.LabeledComment(
                        "ABUSE".equals(l.label()),
                        "ABUSE".equals(l.label()) && l.labelCategory() != null
                                ? AbuseCategory.fromId(l.labelCategory()).orElse(null)
                                : null,
                        l.text()),
                AbuseModel::shipped,
                examples -> AbuseModel.shipped().retrainedWith(examples),
                engine::useAbuseModel,
                AbuseModel::version);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(
                new FixedDelayTask(this::retrainQuietly, properties.model().retrainInterval(), Duration.ZERO));
    }

    private void retrainQuietly() {
        try {
            retrainIfLabelsChanged();
        } catch (RuntimeException e) {
            // keep the current models; the next round tries again
            log.warn("Could not retrain the models: {}", e.toString());
        }
    }

    /** Retrains now the models whose labels changed (after a scheduled round in progress); returns the models in use. */
    Versions retrainNow() {
        retrainIfLabelsChanged();
        return new Versions(
                engine.spamModel().map(SpamModel::version).orElse("none"),
                engine.abuseModel().map(AbuseModel::version).orElse("none"));
    }

    /** The versions of the models in use. */
    record Versions(String spam, String abuse) {}

    private synchronized void retrainIfLabelsChanged() {
        Query labelled = Query.query(Criteria.where("label").in("SPAM", "HAM", "ABUSE", "NOT_ABUSE"))
                .with(Sort.by("_id"));
        labelled.fields().include("label", "labelCategory", "text");
        List<Labelled> labels =
                mongo.find(labelled, Labelled.class, "comments").collectList().block(properties.storeTimeout());
        if (labels == null) {
            return;
        }
        spam.retrainIfChanged(labels);
        abuse.retrainIfChanged(labels);
    }

    /** A labelled comment as read for training. */
    record Labelled(String id, String label, @Nullable String labelCategory, String text) {}

    /**
     * One model's learning: which labels are its examples, how it is retrained and put to use. Only touched by the
     * trainer thread.
     */
    private static final class Learner<E, M> {

        private final String name;
        private final Set<String> labels;
        private final Function<Labelled, E> example;
        private final Supplier<M> shipped;
        private final Function<List<E>, M> retrain;
        private final Consumer<M> use;
        private final Function<M, String> versionOf;
        /** What the current model was trained on. */
        private @Nullable Integer trainedOn;

        Learner(
                String name,
                Set<String> labels,
                Function<Labelled, E> example,
                Supplier<M> shipped,
                Function<List<E>, M> retrain,
                Consumer<M> use,
                Function<M, String> versionOf) {
            this.name = name;
            this.labels = labels;
            this.example = example;
            this.shipped = shipped;
            this.retrain = retrain;
            this.use = use;
            this.versionOf = versionOf;
        }

        void retrainIfChanged(List<Labelled> all) {
            List<Labelled> mine =
                    all.stream().filter(l -> labels.contains(l.label())).toList();
            if (mine.isEmpty() && trainedOn == null) {
                return;
            }
            int signature = Objects.hash(mine.toArray());
            if (trainedOn != null && trainedOn == signature) {
                return;
            }
            long started = System.nanoTime();
            // no labels left (the labelled comments were relabelled or removed): back to the shipped model
            M model = mine.isEmpty()
                    ? shipped.get()
                    : retrain.apply(mine.stream().map(example).toList());
            use.accept(model);
            trainedOn = signature;
            log.info(
                    "The {} model {} is in use: retrained with {} moderator labels in {} ms",
                    name,
                    versionOf.apply(model),
                    mine.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
