package dev.talkback.notification;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaHealthIndicatorTests {

    @Test
    void downWhenNoBrokerAnswersInTime() {
        var admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"));
        var properties = TestProperties.of("http://localhost/{articleId}#{commentId}", "Talkback", 200,
                Duration.ofMillis(500));
        var indicator = new KafkaHealthIndicator(admin, properties);
        try {
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        }
        finally {
            indicator.destroy();
        }
    }
}
