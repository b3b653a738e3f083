package dev.talkback.moderation.kafka;

import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.kafka.KafkaSupportConfiguration;
import dev.talkback.support.kafka.ListenerErrors;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;

/**
 * Topics, and the one error handler of the listeners: an outage is waited out, a poison record goes to the dead
 * letters after the back-off of {@code moderation.retry} ({@link ListenerErrors}).
 */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
class KafkaConfiguration {

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

    /** Dead letters from the listeners; its producer is closed with the context. */
    @Bean
    ListenerErrors listenerErrors(KafkaProperties kafkaProperties) {
        return new ListenerErrors(kafkaProperties, "moderation-service");
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(ListenerErrors listenerErrors, ModerationProperties properties) {
        return listenerErrors.errorHandler(properties.retry());
    }
}
