package dev.talkback.moderation.comments;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * What changes in the queue, as it happens, for the consoles connected to this instance: every decision (automatic or
 * human, taken on any instance) and the claims taken and released here.
 *
 * <p>Decisions are followed on {@code comments.moderated.v1} by a consumer of this instance alone: it is assigned
 * every partition at its end, has no consumer group and commits nothing, so it neither takes records from the
 * service's own consumers nor leaves offsets behind. A console that falls behind loses events rather than holding
 * others up (best effort): the queue it shows is re-read from the API whenever it reconnects.
 */
@Component
class QueueEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueEvents.class);

    private static final Duration POLL = Duration.ofMillis(500);

    /** A change to the queue, named as the event stream names it. */
    sealed interface Change {

        String type();
    }

    /** A comment got a decision: a new held comment is revision 1 with outcome HELD. */
    record Decided(String id, String articleId, CommentModerated.Outcome outcome, int revision, boolean human)
            implements Change {

        @Override
        public String type() {
            return "decided";
        }
    }

    record Claimed(String id, String moderator, Instant until) implements Change {

        @Override
        public String type() {
            return "claimed";
        }
    }

    record Released(String id, String moderator) implements Change {

        @Override
        public String type() {
            return "released";
        }
    }

    private final Sinks.Many<Change> changes = Sinks.many().multicast().directBestEffort();
    private final Map<String, Object> consumerConfig;
    private volatile boolean running;
    private volatile @Nullable KafkaConsumer<String, Object> consumer;
    private @Nullable Thread follower;

    QueueEvents(ConsumerFactory<?, ?> consumers) {
        Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "moderation-console-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumerConfig = Map.copyOf(config);
    }

    /** The changes from now on. */
    Flux<Change> changes() {
        return changes.asFlux();
    }

    void claimed(String id, String moderator, Instant until) {
        emit(new Claimed(id, moderator, until));
    }

    void released(String id, String moderator) {
        emit(new Released(id, moderator));
    }

    private synchronized void emit(Change change) {
        // best effort: no subscriber, or one too slow, is not an error (synchronized: a sink takes one emitter at once)
        changes.tryEmitNext(change);
    }

    @Override
    public void start() {
        running = true;
        follower = new Thread(this::follow, "queue-events");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, Object> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (follower != null) {
            try {
                follower.join(POLL.multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void follow() {
        try (var kafka = new KafkaConsumer<String, Object>(consumerConfig)) {
            consumer = kafka;
            while (running && !assign(kafka)) {
                Thread.sleep(POLL.toMillis());
            }
            while (running) {
                for (ConsumerRecord<String, Object> record : kafka.poll(POLL)) {
                    if (record.value() instanceof CommentModerated event) {
                        emit(new Decided(
                                event.commentId(),
                                event.articleId(),
                                event.outcome(),
                                event.revision(),
                                event.human()));
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the console's live view stops on this instance; deciding and the API are unaffected
            log.error("The moderator console's live queue stopped following decisions on this instance", e);
        } finally {
            consumer = null;
        }
    }

    /** Every partition of the decisions topic, from its end; false while the topic does not exist yet. */
    private static boolean assign(KafkaConsumer<String, Object> kafka) {
        List<PartitionInfo> partitions;
        try {
            partitions = kafka.partitionsFor(Topics.COMMENTS_MODERATED, POLL.multipliedBy(4));
        } catch (TimeoutException e) {
            // the broker is not reachable (yet): try again
            return false;
        }
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> all = partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        kafka.assign(all);
        kafka.seekToEnd(all);
        return true;
    }
}
