package dev.talkback.support.health;

import dev.talkback.support.kafka.KafkaClusterHealth;
import dev.talkback.support.mongo.CollectionIndexes;
import dev.talkback.support.mongo.StoreIndexes;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * A service's {@code kafka}, {@code mongo} and {@code indexes} health indicators, each giving up after the service's timeout: a
 * service's health configuration extends this with its name and timeout (which groups include them is the service's
 * {@code management.endpoint.health.group.*}).
 */
public abstract class ServiceHealth {

    private final String service;
    private final Duration timeout;

    /**
     * @param service the service's name, for the Kafka admin client's id ({@code <service>-health})
     * @param timeout how long each check waits for an answer
     */
    protected ServiceHealth(String service, Duration timeout) {
        this.service = service;
        this.timeout = timeout;
    }

    /** One admin client, one check at a time, its answer reused for a few seconds: see {@link KafkaClusterHealth}. */
    @Bean
    protected KafkaClusterHealth kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaClusterHealth(kafkaAdmin, service + "-health", timeout);
    }

    /** Replaces Boot's Mongo indicator (named {@code mongo} as well); see {@link MongoPingHealth}. */
    @Bean
    protected MongoPingHealth mongoHealthIndicator(ReactiveMongoTemplate mongo) {
        return new MongoPingHealth(mongo, timeout);
    }

    /** Creates the indexes the service's features declare, and tells whether they exist: see {@link StoreIndexes}. */
    @Bean
    protected StoreIndexes indexesHealthIndicator(
            ReactiveMongoTemplate mongo, ObjectProvider<CollectionIndexes> declared) {
        return new StoreIndexes(mongo, declared.orderedStream().toList());
    }
}
