package dev.talkback.moderation.health;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaHealthIndicatorTests {

    @Test
    void isDownWithinTheTimeoutWhenNoBrokerAnswers() {
        // nothing listens on port 1
        var admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"));
        var indicator = new KafkaHealthIndicator(admin, Duration.ofMillis(500));
        try {
            long start = System.nanoTime();
            var health = indicator.health(true);

            assertThat(health).isNotNull();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        finally {
            indicator.destroy();
        }
    }
}
