package dev.talkback.comments;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With no broker to talk to, the intake answers 503 with Retry-After in bounded time and never 202. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=127.0.0.1:1",
        "spring.kafka.admin.auto-create=false",
        "spring.kafka.listener.auto-startup=false",
        "spring.kafka.producer.properties.max.block.ms=1000",
        "spring.kafka.producer.properties.request.timeout.ms=1000",
        "spring.kafka.producer.properties.delivery.timeout.ms=1500",
        "comments.publish-timeout=3s",
        "comments.retry-after=7s",
        "comments.kafka-health-timeout=500ms" })
@AutoConfigureWebTestClient(timeout = "20s")
@ContextConfiguration(initializers = InMemoryMongo.class)
class KafkaUnavailableTests {

    @Autowired
    WebTestClient client;

    @Test
    void submissionIsRefusedWithRetryAfter() {
        client.post().uri("/api/articles/any-article/comments").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada", "email", "ada@example.org", "text", "Hello"))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(503);
    }

    @Test
    void notReadyWithoutKafka() {
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.kafka.status").isEqualTo("DOWN");
    }
}
