package dev.talkback.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Flux;

/**
 * Many callers at once cost one admin client and one describe-cluster request, whose answer is reused for a while;
 * on a real admin client against an address where no broker listens (the check answers DOWN after its timeout).
 */
class KafkaClusterHealthTests {

    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private final AtomicInteger adminsCreated = new AtomicInteger();
    private final AtomicInteger describeCalls = new AtomicInteger();
    private final AtomicInteger closeCalls = new AtomicInteger();
    private KafkaClusterHealth health;

    @AfterEach
    void close() {
        if (health != null) {
            health.destroy();
        }
    }

    @Test
    void concurrentCallersShareOneCheckOnOneAdminClient() {
        health = new KafkaClusterHealth(this::countingAdmin, TIMEOUT, Duration.ofMinutes(1));

        List<Health> answers = Flux.fromStream(IntStream.range(0, 50).boxed())
                .flatMap(i -> health.health(), 50)
                .collectList()
                .block(Duration.ofSeconds(10));

        assertThat(answers)
                .hasSize(50)
                .allSatisfy(answer -> assertThat(answer.getStatus()).isEqualTo(Status.DOWN));
        assertThat(adminsCreated).hasValue(1);
        assertThat(describeCalls).hasValue(1);
        assertThat(health.checks()).isEqualTo(1);

        // within the refresh period the answer is replayed
        assertThat(health.health().block(Duration.ofSeconds(5)).getStatus()).isEqualTo(Status.DOWN);
        assertThat(describeCalls).hasValue(1);
    }

    @Test
    void checksAgainOnceTheAnswerIsOlderThanTheRefreshPeriodOnTheSameClient() {
        health = new KafkaClusterHealth(this::countingAdmin, Duration.ofMillis(200), Duration.ofMillis(300));

        health.health().block(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            health.health().block(Duration.ofSeconds(5));
            assertThat(describeCalls.get()).isGreaterThanOrEqualTo(2);
        });
        assertThat(adminsCreated).hasValue(1);
    }

    @Test
    void closesItsAdminClientOnShutdownAndThenAnswersDown() {
        health = new KafkaClusterHealth(this::countingAdmin, Duration.ofMillis(200), Duration.ZERO);
        health.health().block(Duration.ofSeconds(5));

        health.destroy();

        assertThat(closeCalls).hasValue(1);
        assertThat(health.health().block(Duration.ofSeconds(5)).getStatus()).isEqualTo(Status.DOWN);
        assertThat(adminsCreated).hasValue(1);
    }

    /** A real admin client (nothing listens on port 1), counting what the health check asks of it. */
    private Admin countingAdmin() {
        adminsCreated.incrementAndGet();
        Admin real = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:1",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()));
        return (Admin) Proxy.newProxyInstance(
                Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "describeCluster" -> describeCalls.incrementAndGet();
                        case "close" -> closeCalls.incrementAndGet();
                        default -> {}
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
