package dev.talkback.comments.kafka;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.events.Topics;
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
 * Topics this service produces or consumes, and the one error handler of its listeners: an outage is waited out,
 * a poison record goes to the dead letters after the back-off of {@code comments.retry} ({@link ListenerErrors}).
 */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
class KafkaConfiguration {

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

    /** Dead letters from the read model's listener; its producer is closed with the context. */
    @Bean
    ListenerErrors listenerErrors(KafkaProperties kafkaProperties) {
        return new ListenerErrors(kafkaProperties, "comment-service");
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(ListenerErrors listenerErrors, CommentsProperties properties) {
        return listenerErrors.errorHandler(properties.retry());
    }
}
