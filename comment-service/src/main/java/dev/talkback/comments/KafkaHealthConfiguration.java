package dev.talkback.comments;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import dev.talkback.support.kafka.KafkaClusterHealth;

/**
 * Health {@code kafka}: UP when the cluster answers within {@code comments.kafka-health-timeout}; one admin client,
 * one check at a time, its answer reused for a few seconds. In {@code /actuator/health}, not in readiness: reads need
 * no Kafka, and a submission during an outage already answers 503 with {@code Retry-After}.
 */
@Configuration(proxyBeanMethods = false)
class KafkaHealthConfiguration {

    @Bean("kafka")
    KafkaClusterHealth kafkaHealth(KafkaAdmin kafkaAdmin, CommentsProperties properties) {
        return new KafkaClusterHealth(kafkaAdmin, "comment-service-health", properties.kafkaHealthTimeout());
    }
}
