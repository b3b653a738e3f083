package dev.talkback.notification.health;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.health.ServiceHealth;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kafka} and {@code mongo} health indicators, both in the readiness group (an instance without a broker
 * or its store takes no traffic), each giving up after {@code notification.timeouts.health}.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration extends ServiceHealth {

    HealthConfiguration(NotificationProperties properties) {
        super("notification-service", properties.timeouts().health());
    }
}
