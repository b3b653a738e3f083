package dev.talkback.moderation.kafka;

import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.kafka.ListenerErrors;
import dev.talkback.support.kafka.ServiceKafka;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Topics, and the one error handler of the listeners: an outage is waited out, a poison record goes to the dead
 * letters after the back-off of {@code moderation.retry} ({@link ListenerErrors}).
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration extends ServiceKafka {

    KafkaConfiguration(ModerationProperties properties) {
        super("moderation-service", properties.topicPartitions(), properties.topicReplicas(), properties.retry());
    }

    @Bean
    NewTopic commentsSubmittedTopic() {
        return topic(Topics.COMMENTS_SUBMITTED);
    }

    @Bean
    NewTopic commentsSubmittedDeadLetterTopic() {
        return topic(Topics.COMMENTS_SUBMITTED_DLT);
    }

    @Bean
    NewTopic commentsModeratedTopic() {
        return topic(Topics.COMMENTS_MODERATED);
    }
}
