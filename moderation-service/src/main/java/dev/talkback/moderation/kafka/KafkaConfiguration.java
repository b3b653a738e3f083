package dev.talkback.moderation.kafka;

import dev.talkback.support.kafka.KafkaSupportConfiguration;
import dev.talkback.support.kafka.Outages;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;
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
@Import(KafkaSupportConfiguration.class)
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
        handler.setBackOffFunction(Outages.backOffFunction(retry.initialInterval(), retry.multiplier(), retry.maxInterval()));
        // a record that failed for a poison reason and then meets an outage (or the reverse) starts the other back-off
        handler.setResetStateOnExceptionChange(true);
        return handler;
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
