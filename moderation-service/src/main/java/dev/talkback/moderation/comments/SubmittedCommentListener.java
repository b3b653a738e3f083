package dev.talkback.moderation.comments;

import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code comments.submitted.v1} in the group {@code spring.kafka.consumer.group-id} (moderation-service), a
 * poll at a time: the submissions of one poll are decided, stored and published together ({@link AutomaticModeration}).
 * Returns only when every decision of the poll is stored and published, so the offsets (ack mode {@code batch}) are
 * committed after the effect. A record that cannot be read, or whose handling fails, is named to the error handler
 * by its index ({@link BatchListenerFailedException}): the records before it are committed, and it is retried or
 * goes to the dead letters on its own, as with a record listener, without holding up the partition.
 */
@Component
class SubmittedCommentListener {

    /**
     * The most records a poll hands over (Kafka's default, stated here since the batch is the unit of work): a poll
     * returns what is there, so at low rates a batch is one record and nothing waits; at 500 the engine's budget of
     * 100 ms per comment bounds a batch well within {@code max.poll.interval.ms} (5 minutes).
     */
    static final int MAX_POLL_RECORDS = 500;

    /** The name of the listener in its observations. */
    private static final String LISTENER_ID = "submitted-comments";

    private static final LogAccessor log = new LogAccessor(LogFactory.getLog(SubmittedCommentListener.class));

    private final AutomaticModeration moderation;
    private final ObservationRegistry observations;

    SubmittedCommentListener(AutomaticModeration moderation, ObjectProvider<ObservationRegistry> observations) {
        this.moderation = moderation;
        this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    @KafkaListener(
            topics = Topics.COMMENTS_SUBMITTED,
            batch = "true",
            properties = "max.poll.records=" + MAX_POLL_RECORDS)
    void onSubmitted(List<ConsumerRecord<String, @Nullable CommentSubmitted>> records, Consumer<?, ?> consumer) {
        List<CommentSubmitted> readable = new ArrayList<>();
        for (var record : records) {
            CommentSubmitted submitted = record.value();
            if (submitted == null) {
                break; // the ones before it are handled; it goes to the dead letters
            }
            readable.add(submitted);
        }
        String group = consumer.groupMetadata().groupId();
        List<Observation> traces = new ArrayList<>();
        for (var record : records.subList(0, readable.size())) {
            traces.add(trace(record, group).start());
        }
        try {
            moderation.moderate(readable, traces);
        } catch (BatchListenerFailedException named) {
            // the ones before it are done
            traces.subList(Math.min(named.getIndex(), traces.size()), traces.size())
                    .forEach(trace -> trace.error(named));
            throw named;
        } catch (RuntimeException unexpected) {
            traces.forEach(trace -> trace.error(unexpected));
            // never the error handler's fallback for a whole batch, which would send every record of the poll to the
            // dead letters after the retries: the poll is retried from its first record, which carries the failure
            throw new BatchListenerFailedException("The poll's submissions failed", unexpected, 0);
        } finally {
            traces.forEach(Observation::stop);
        }
        if (readable.size() < records.size()) {
            var unreadable = records.get(readable.size());
            throw new BatchListenerFailedException(
                    "Record " + unreadable.topic() + "-" + unreadable.partition() + "@" + unreadable.offset()
                            + " is not a comment submission",
                    unreadableCause(unreadable),
                    readable.size());
        }
    }

    /**
     * The record's listener observation, as the container makes one for a record listener: it continues the trace of
     * the record's {@code traceparent} header, so that the lines logged about the comment and the decision's event
     * carry the trace of its submission (a batch listener gets no observation per record from the container).
     */
    private Observation trace(ConsumerRecord<String, ?> record, String group) {
        return KafkaListenerObservation.LISTENER_OBSERVATION.observation(
                null,
                KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
                () -> new KafkaRecordReceiverContext(record, LISTENER_ID, LISTENER_ID, group, () -> null),
                observations);
    }

    /** Why the record has no value: the deserializer's failure, with the record's bytes for the dead letters. */
    @SuppressWarnings("removal") // the header's name, which spring-kafka 4 still writes and reads under that constant
    private static Exception unreadableCause(ConsumerRecord<String, ?> record) {
        DeserializationException failed = SerializationUtils.getExceptionFromHeader(
                record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, log);
        if (failed != null) {
            return failed;
        }
        return new DeserializationException("The record has no value (a tombstone)", new byte[0], false, null);
    }
}
