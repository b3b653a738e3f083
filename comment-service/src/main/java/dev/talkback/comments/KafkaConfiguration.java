package dev.talkback.comments;

import dev.talkback.support.kafka.KafkaSupportConfiguration;
import dev.talkback.support.kafka.Outages;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;


import dev.talkback.events.Topics;

/**
 * Topics this service produces or consumes, and the one error handler of its listeners.
 *
 * <p>Failures are classified: an outage of the infrastructure (MongoDB unreachable or timing out, Kafka not
 * answering, a blocking wait that timed out, an interrupted thread) is retried without limit, with the exponential
 * back-off of {@code comments.retry} capped at its {@code max-interval}: the partition waits, no offset is committed,
 * and the record is applied once the store is back. Anything else (a poison record) gets the bounded back-off, then
 * goes to {@code <topic>-dlt} on the same partition. A record that could not be deserialised is not retried and
 * reaches the dead-letter topic with its original bytes.
 */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean
    NewTopic commentsSubmittedTopic(CommentsProperties properties) {
        return topic(Topics.COMMENTS_SUBMITTED, properties);
    }

    @Bean
    NewTopic commentsModeratedTopic(CommentsProperties properties) {
        return topic(Topics.COMMENTS_MODERATED, properties);
    }

    @Bean
    NewTopic commentsModeratedDeadLetterTopic(CommentsProperties properties) {
        return topic(Topics.COMMENTS_MODERATED_DLT, properties);
    }

    private static NewTopic topic(String name, CommentsProperties properties) {
        return TopicBuilder.name(name)
                .partitions(properties.topicPartitions())
                .replicas(properties.topicReplicas())
                .build();
    }

    /** A producer for the original bytes of records that could not be deserialised; closed with the context. */
    @Bean
    DeadLetterBytesTemplate deadLetterBytesTemplate(KafkaProperties kafkaProperties) {
        Map<String, Object> config = new LinkedHashMap<>(kafkaProperties.buildProducerProperties());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "comment-service-dlt");
        return new DeadLetterBytesTemplate(new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(KafkaTemplate<Object, Object> kafkaTemplate, DeadLetterBytesTemplate bytesTemplate,
            CommentsProperties properties) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, bytesTemplate.template());
        templates.put(Object.class, kafkaTemplate);
        var recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, ex) -> new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, record.partition()));
        CommentsProperties.Retry retry = properties.retry();
        var backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        // one line per dead letter, with the comment id (the key) but never the value, which may hold an email address
        ConsumerRecordRecoverer loggingRecoverer = (record, ex) -> {
            log.error("Comment {}: record {}-{}@{} goes to {} after {}", record.key(), record.topic(), record.partition(),
                    record.offset(), record.topic() + Topics.DEAD_LETTER_SUFFIX, Outages.rootCause(ex));
            recoverer.accept(record, ex);
        };
        var handler = new DefaultErrorHandler(loggingRecoverer, backOff);
        handler.setBackOffFunction(Outages.backOffFunction(retry.initialInterval(), retry.multiplier(), retry.maxInterval()));
        // a record that failed for a poison reason and then meets an outage (or the reverse) starts the other back-off
        handler.setResetStateOnExceptionChange(true);
        return handler;
    }

    record DeadLetterBytesTemplate(DefaultKafkaProducerFactory<String, byte[]> factory, KafkaTemplate<String, byte[]> template)
            implements DisposableBean {

        DeadLetterBytesTemplate(DefaultKafkaProducerFactory<String, byte[]> factory) {
            this(factory, new KafkaTemplate<>(factory));
        }

        @Override
        public void destroy() {
            factory.destroy();
        }
    }
}
