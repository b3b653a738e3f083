package dev.talkback.moderation.kafka;

import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.kafka.ListenerErrors;
import dev.talkback.support.kafka.ServiceKafka;
import java.util.List;
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

    @Override
    protected List<String> topics() {
        return List.of(
                Topics.COMMENTS_SUBMITTED,
                Topics.COMMENTS_SUBMITTED_DLT,
                Topics.COMMENTS_MODERATED,
                Topics.COMMENTS_REPORTED,
                Topics.COMMENTS_REPORTED_DLT,
                Topics.COMMENTS_APPEALED,
                Topics.COMMENTS_APPEALED_DLT,
                Topics.PRIVACY_EXPORTS,
                Topics.PRIVACY_EXPORTS_DLT,
                Topics.PRIVACY_EXPORT_PARTS,
                Topics.PRIVACY_ERASURE,
                Topics.PRIVACY_ERASURE_DLT);
    }
}
