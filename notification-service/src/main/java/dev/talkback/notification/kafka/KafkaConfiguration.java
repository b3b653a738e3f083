package dev.talkback.notification.kafka;

import dev.talkback.events.Topics;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.kafka.ListenerErrors;
import dev.talkback.support.kafka.ServiceKafka;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;

/**
 * Topics, and the one error handler of the listeners: an outage is waited out, a poison record goes to the dead
 * letters after the back-off of {@code notification.retry} ({@link ListenerErrors}), a mail that cannot be built
 * at once.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration extends ServiceKafka {

    KafkaConfiguration(NotificationProperties properties) {
        super(
                "notification-service",
                properties.topicPartitions(),
                properties.topicReplicas(),
                properties.retry(),
                // a mail that cannot even be built will not be built by retrying
                MailParseException.class,
                MailPreparationException.class);
    }

    @Bean
    NewTopic commentsModeratedTopic() {
        return topic(Topics.COMMENTS_MODERATED);
    }

    @Bean
    NewTopic commentsModeratedDeadLetterTopic() {
        return topic(Topics.COMMENTS_MODERATED_DLT);
    }
}
