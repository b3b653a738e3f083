package dev.talkback.notification;

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
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;


import dev.talkback.events.Topics;

/**
 * Topics, the dead-letter publisher and the one error handler of the listener container.
 */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean
    NewTopic commentsModeratedTopic(NotificationProperties properties) {
        return topic(Topics.COMMENTS_MODERATED, properties);
    }

    @Bean
    NewTopic commentsModeratedDeadLetterTopic(NotificationProperties properties) {
        return topic(Topics.COMMENTS_MODERATED_DLT, properties);
    }

    private static NewTopic topic(String name, NotificationProperties properties) {
        return TopicBuilder.name(name)
                .partitions(properties.topicPartitions())
                .replicas(properties.topicReplicas())
                .build();
    }

    /**
     * This service produces only dead letters. A record that could not be deserialised arrives as {@code byte[]}
     * (its original bytes, which the recoverer takes from the deserialisation exception) and is written unchanged;
     * a record that was deserialised but kept failing is written back as JSON with its logical type name. The
     * producer settings ({@code acks}, idempotence, the JSON type mapping) come from {@code spring.kafka.producer.*}.
     */
    @Bean
    ProducerFactory<String, Object> deadLetterProducerFactory(KafkaProperties kafkaProperties) {
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Object.class, new JacksonJsonSerializer<>());
        return new DefaultKafkaProducerFactory<>(kafkaProperties.buildProducerProperties(),
                new StringSerializer(), new DelegatingByTypeSerializer(byType, true));
    }

    @Bean
    KafkaTemplate<String, Object> deadLetterTemplate(ProducerFactory<String, Object> deadLetterProducerFactory) {
        return new KafkaTemplate<>(deadLetterProducerFactory);
    }

    /**
     * Failures are classified. An outage of the infrastructure (MongoDB unreachable or timing out, a blocking wait
     * that timed out, Kafka not answering, an interrupted thread) is retried without limit with the exponential
     * back-off of {@code notification.retry} capped at its {@code max-interval}: the partition waits and no offset is
     * committed until the delivery is recorded. Any other failure gets the bounded back-off, then
     * {@code <topic>-dlt} on the same partition. Records that cannot succeed by retrying (not deserialisable, a mail
     * that cannot even be built) go to the dead letters at once.
     */
    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<String, Object> deadLetterTemplate,
            NotificationProperties properties) {
        var recoverer = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, exception) -> new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX,
                        record.partition()));
        NotificationProperties.Retry retry = properties.retry();
        var backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        ConsumerRecordRecoverer logThenPublish = (record, exception) -> {
            log.warn("Comment {}: record {}-{}@{} goes to the dead letters ({})", record.key(), record.topic(),
                    record.partition(), record.offset(), ModeratedCommentListener.causes(exception));
            recoverer.accept(record, exception);
        };
        var handler = new DefaultErrorHandler(logThenPublish, backOff);
        handler.addNotRetryableExceptions(MailParseException.class, MailPreparationException.class);
        handler.setBackOffFunction(Outages.backOffFunction(retry.initialInterval(), retry.multiplier(), retry.maxInterval()));
        // a record that failed for a poison reason and then meets an outage (or the reverse) starts the other back-off
        handler.setResetStateOnExceptionChange(true);
        return handler;
    }
}
