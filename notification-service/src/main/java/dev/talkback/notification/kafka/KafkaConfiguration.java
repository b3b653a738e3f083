package dev.talkback.notification.kafka;

import dev.talkback.events.Topics;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.kafka.ListenerErrors;
import dev.talkback.support.kafka.ServiceKafka;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;

/**
 * Topics (the ones this service consumes, with their dead letters, and the privacy requests it publishes), and the one
 * error handler of the listeners: an outage is waited out, a poison record goes to the dead
 * letters after the back-off of {@code notification.kafka.retry} ({@link ListenerErrors}), a mail that cannot be built
 * at once.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration extends ServiceKafka {

    KafkaConfiguration(NotificationProperties properties) {
        super(
                "notification-service",
                properties.kafka().topicPartitions(),
                properties.kafka().topicReplicas(),
                properties.kafka().retry(),
                // a mail that cannot even be built will not be built by retrying
                MailParseException.class,
                MailPreparationException.class);
    }

    @Override
    protected List<String> topics() {
        return List.of(
                Topics.COMMENTS_MODERATED,
                Topics.COMMENTS_MODERATED_DLT,
                Topics.COMMENTS_REPORTED,
                Topics.COMMENTS_REPORTED_DLT,
                // produced here: the requests of a privacy export, and erasures (consumed here too)
                Topics.PRIVACY_EXPORTS,
                Topics.PRIVACY_ERASURE,
                Topics.PRIVACY_ERASURE_DLT,
                // the other services' parts of an export
                Topics.PRIVACY_EXPORT_PARTS,
                Topics.PRIVACY_EXPORT_PARTS_DLT);
    }
}
