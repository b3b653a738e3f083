package dev.talkback.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.support.kafka.KafkaClusterHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * With no broker to talk to, the intake answers 503 with Retry-After in bounded time and never 202, and the instance
 * stays ready (reads need no Kafka).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=127.0.0.1:1",
            "spring.kafka.admin.auto-create=false",
            "spring.kafka.listener.auto-startup=false",
            "spring.kafka.producer.properties.max.block.ms=1000",
            "spring.kafka.producer.properties.request.timeout.ms=1000",
            "spring.kafka.producer.properties.delivery.timeout.ms=1500",
            "comments.publish-timeout=3s",
            "comments.retry-after=7s",
            "comments.health-timeout=500ms"
        })
@AutoConfigureWebTestClient(timeout = "20s")
@ContextConfiguration(initializers = InMemoryMongo.class)
class KafkaUnavailableTests {

    @Autowired
    WebTestClient client;

    @Autowired
    KafkaClusterHealth kafkaHealth;

    @LocalManagementPort
    int managementPort;

    @Test
    void submissionIsRefusedWithRetryAfter() {
        client.post()
                .uri("/api/articles/any-article/comments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada", "email", "ada@example.org", "text", "Hello"))
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(503);
    }

    /** Reads need no Kafka, and a submission answers 503 by itself: readiness is readinessState and mongo only. */
    @Test
    void readyWithoutKafkaWhileHealthSaysDown() {
        management()
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("DOWN")
                .jsonPath("$.components")
                .doesNotExist()
                .jsonPath("$.details")
                .doesNotExist();
    }

    /** Anonymous callers cannot multiply the work of the Kafka check: they share one check and its answer. */
    @Test
    void concurrentHealthCallsShareOneKafkaCheck() {
        long before = kafkaHealth.checks();

        WebClient http = WebClient.create("http://localhost:" + managementPort);
        List<Integer> statuses = Flux.range(0, 40)
                .flatMap(
                        i -> http.get()
                                .uri("/actuator/health")
                                .exchangeToMono(response ->
                                        Mono.just(response.statusCode().value())),
                        40)
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(statuses).hasSize(40).containsOnly(503);
        assertThat(kafkaHealth.checks() - before).isLessThanOrEqualTo(1);
    }

    private WebTestClient management() {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }
}
