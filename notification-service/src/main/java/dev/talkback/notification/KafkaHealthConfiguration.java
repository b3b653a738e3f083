package dev.talkback.notification;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import dev.talkback.support.kafka.KafkaClusterHealth;

/**
 * Health contributor {@code kafka}: UP when the cluster answers within {@code notification.health-timeout}. Part of
 * the readiness group, so an instance without a broker takes no traffic. One admin client, one check at a time, its
 * answer reused for a few seconds: see {@link KafkaClusterHealth}.
 */
@Configuration(proxyBeanMethods = false)
class KafkaHealthConfiguration {

    @Bean
    KafkaClusterHealth kafkaHealthIndicator(KafkaAdmin kafkaAdmin, NotificationProperties properties) {
        return new KafkaClusterHealth(kafkaAdmin, "notification-service-health", properties.healthTimeout());
    }
}
