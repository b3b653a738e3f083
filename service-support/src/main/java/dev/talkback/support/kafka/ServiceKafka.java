package dev.talkback.support.kafka;

import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;

/**
 * A service's Kafka wiring: the topics it declares, with the service's partitions and replicas, and the one error
 * handler of its listeners ({@link ListenerErrors}), with the comment id in the listeners' logs and safe send tracing
 * ({@link KafkaSupportConfiguration}). A service's Kafka configuration extends this with its name and settings, and
 * lists its topics in {@link #topics()}.
 */
@Import(KafkaSupportConfiguration.class)
public abstract class ServiceKafka {

    private final String service;
    private final int partitions;
    private final int replicas;
    private final KafkaRetry retry;
    private final List<Class<? extends Exception>> notRetryable;

    /**
     * @param service      the service's name, for the dead-letter producer's client id
     * @param partitions   partitions of the topics the service declares
     * @param replicas     their replication factor
     * @param retry        the back-off of a poison record before the dead letters
     * @param notRetryable failures that go to the dead letters without a retry
     */
    @SafeVarargs
    protected ServiceKafka(
            String service,
            int partitions,
            int replicas,
            KafkaRetry retry,
            Class<? extends Exception>... notRetryable) {
        this.service = service;
        this.partitions = partitions;
        this.replicas = replicas;
        this.retry = retry;
        this.notRetryable = List.of(notRetryable);
    }

    /** The topics this service declares: created, with its partitions and replicas, where they do not exist. */
    protected abstract List<String> topics();

    @Bean
    protected KafkaAdmin.NewTopics serviceTopics() {
        return new KafkaAdmin.NewTopics(topics().stream()
                .map(name -> TopicBuilder.name(name)
                        .partitions(partitions)
                        .replicas(replicas)
                        .build())
                .toArray(NewTopic[]::new));
    }

    /** Dead letters from the listeners; its producer is closed with the context. */
    @Bean
    protected ListenerErrors listenerErrors(KafkaProperties kafkaProperties) {
        return new ListenerErrors(kafkaProperties, service);
    }

    @Bean
    @SuppressWarnings("unchecked")
    protected CommonErrorHandler kafkaErrorHandler(ListenerErrors listenerErrors) {
        return listenerErrors.errorHandler(retry, notRetryable.toArray(Class[]::new));
    }
}
