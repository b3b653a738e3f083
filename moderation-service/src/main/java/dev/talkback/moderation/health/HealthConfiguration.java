package dev.talkback.moderation.health;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.KafkaAdmin;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.kafka.KafkaClusterHealth;

/** The {@code kafka} and {@code mongo} health indicators, both part of the readiness group. */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    /** One admin client, one check at a time, its answer reused for a few seconds: see {@link KafkaClusterHealth}. */
    @Bean
    KafkaClusterHealth kafkaHealthIndicator(KafkaAdmin kafkaAdmin, ModerationProperties properties) {
        return new KafkaClusterHealth(kafkaAdmin, "moderation-service-health", properties.healthTimeout());
    }

    /** Replaces Boot's Mongo indicator (named {@code mongo} as well); see {@link MongoPingHealthIndicator}. */
    @Bean
    MongoPingHealthIndicator mongoHealthIndicator(ReactiveMongoTemplate mongo, ModerationProperties properties) {
        return new MongoPingHealthIndicator(mongo, properties.healthTimeout());
    }
}
