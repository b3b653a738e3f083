package dev.talkback.notification.kafka;

import dev.talkback.events.Topics;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.kafka.KafkaSupportConfiguration;
import dev.talkback.support.kafka.ListenerErrors;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;

/**
 * Topics, and the one error handler of the listeners: an outage is waited out, a poison record goes to the dead
 * letters after the back-off of {@code notification.retry} ({@link ListenerErrors}), a mail that cannot be built at once.
 */
@Configuration(proxyBeanMethods = false)
@Import(KafkaSupportConfiguration.class)
class KafkaConfiguration {

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

    /** Dead letters from the listeners; its producer is closed with the context. */
    @Bean
    ListenerErrors listenerErrors(KafkaProperties kafkaProperties) {
        return new ListenerErrors(kafkaProperties, "notification-service");
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(ListenerErrors listenerErrors, NotificationProperties properties) {
        return listenerErrors.errorHandler(
                properties.retry(),
                // a mail that cannot even be built will not be built by retrying
                MailParseException.class,
                MailPreparationException.class);
    }
}
