package dev.talkback.comments.health;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.health.ServiceHealth;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kafka} and {@code mongo} health indicators, each giving up after {@code comments.health-timeout}.
 * {@code mongo} is in the readiness group; {@code kafka} only in {@code /actuator/health}: reads need no Kafka, and a
 * submission during an outage already answers 503 with {@code Retry-After}.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration extends ServiceHealth {

    HealthConfiguration(CommentsProperties properties) {
        super("comment-service", properties.healthTimeout());
    }
}
