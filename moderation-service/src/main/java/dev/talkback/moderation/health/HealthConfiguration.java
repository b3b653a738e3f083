package dev.talkback.moderation.health;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.health.ServiceHealth;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kafka} and {@code mongo} health indicators, both in the readiness group, each giving up after
 * {@code moderation.health-timeout}.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration extends ServiceHealth {

    HealthConfiguration(ModerationProperties properties) {
        super("moderation-service", properties.healthTimeout());
    }
}
