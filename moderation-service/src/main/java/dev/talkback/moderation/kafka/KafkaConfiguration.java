package dev.talkback.moderation.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;

/**
 * Topics and the one error handler of all listeners.
 *
 * <p>Failures are classified. An outage of the infrastructure (MongoDB unreachable or timing out, Kafka not taking
 * the decision, a blocking wait that timed out, an interrupted thread) is retried without limit with the exponential
 * back-off of {@code moderation.retry} capped at its {@code max-interval}: the partition waits, no offset is
 * committed, and the comment is decided once the store or broker is back. Any other failure (a poison record) is
 * retried with the bounded back-off, then published to {@code <topic>-dlt} on the same partition, and the partition
 * moves on. A record that cannot be deserialised is not retried: it reaches the dead-letter topic at once with its
 * original bytes.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean
    NewTopic commentsSubmittedTopic(ModerationProperties properties) {
        return topic(Topics.COMMENTS_SUBMITTED, properties);
    }

    @Bean
    NewTopic commentsSubmittedDeadLetterTopic(ModerationProperties properties) {
        return topic(Topics.COMMENTS_SUBMITTED_DLT, properties);
    }

    @Bean
    NewTopic commentsModeratedTopic(ModerationProperties properties) {
        return topic(Topics.COMMENTS_MODERATED, properties);
    }

    private static NewTopic topic(String name, ModerationProperties properties) {
        return TopicBuilder.name(name)
                .partitions(properties.topicPartitions())
                .replicas(properties.topicReplicas())
                .build();
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(ProducerFactory<?, ?> producerFactory, ModerationProperties properties) {
        var deadLetters = new DeadLetterPublishingRecoverer(deadLetterTemplate(producerFactory),
                (record, exception) -> {
                    // the cause's type only: a message might quote the record, and so an email address
                    log.warn("Dead-lettering record {}-{}@{} (key {}) after {}", record.topic(), record.partition(),
                            record.offset(), record.key(),
                            NestedExceptionUtils.getMostSpecificCause(exception).getClass().getName());
                    return new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, record.partition());
                });
        var retry = properties.retry();
        var backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        var handler = new DefaultErrorHandler(deadLetters, backOff);
        handler.setBackOffFunction(outageBackOff(retry.initialInterval(), retry.multiplier(), retry.maxInterval()));
        // a record that failed for a poison reason and then meets an outage (or the reverse) starts the other back-off
        handler.setResetStateOnExceptionChange(true);
        return handler;
    }

    /** The unlimited back-off for outages; {@code null} (the bounded default) for any other failure. */
    static BiFunction<ConsumerRecord<?, ?>, Exception, BackOff> outageBackOff(Duration initialInterval,
            double multiplier, Duration maxInterval) {
        return (record, ex) -> {
            if (!isOutage(ex)) {
                return null;
            }
            var unlimited = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
            unlimited.setMaxInterval(maxInterval.toMillis());
            log.warn("Comment {}: record {}-{}@{} waits for the infrastructure ({}); retrying until it is back",
                    record.key(), record.topic(), record.partition(), record.offset(), rootCause(ex));
            return unlimited;
        };
    }

    /**
     * Whether a failure comes from the infrastructure rather than from the record: somewhere in its causes a MongoDB
     * connection or timeout failure, Spring's resource-failure or transient data-access exceptions, a retriable
     * Kafka error (e.g. a send timeout), a timed-out blocking wait ({@code Mono.block(Duration)} throws an
     * {@link IllegalStateException} caused by a {@link java.util.concurrent.TimeoutException}) or an interruption
     * (the container is stopping).
     */
    static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException || cause instanceof MongoSocketException
                    || cause instanceof MongoTimeoutException || cause instanceof RetriableException
                    || cause instanceof java.util.concurrent.TimeoutException || cause instanceof InterruptedException
                    || cause instanceof java.net.ConnectException || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (cause instanceof MongoException mongo && (mongo.hasErrorLabel("TransientTransactionError")
                    || mongo.hasErrorLabel("RetryableWriteError"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable ex) {
        return NestedExceptionUtils.getMostSpecificCause(ex).getClass().getSimpleName();
    }

    /**
     * A template for dead letters: the original bytes of a record that could not be deserialised are written as
     * they came; a deserialised event that kept failing is written as JSON again.
     */
    private static KafkaTemplate<String, Object> deadLetterTemplate(ProducerFactory<?, ?> producerFactory) {
        Map<Class<?>, Serializer<?>> serializers = new LinkedHashMap<>();
        serializers.put(byte[].class, new ByteArraySerializer());
        serializers.put(Object.class, new JacksonJsonSerializer<>());
        var factory = new DefaultKafkaProducerFactory<>(producerFactory.getConfigurationProperties(),
                new StringSerializer(), new DelegatingByTypeSerializer(serializers, true));
        return new KafkaTemplate<>(factory);
    }
}
