package dev.talkback.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A MongoDB outage far longer than the bounded back-off: the read-model listener waits (no offset committed, nothing
 * dead-lettered) and applies the record once the store is back on the same port. The driver gives up server selection
 * after 300 ms here, so the old handler (a few retries of 50 ms) would have dead-lettered the record within a second.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "comments.topic-partitions=1",
            "comments.status-token-secret=test-secret-test-secret-test-secret",
            "comments.retry.initial-interval=50ms",
            "comments.retry.max-interval=200ms",
            "comments.retry.max-retries=2"
        })
@AutoConfigureWebTestClient(timeout = "30s") // the 5 s default is too short for a cold JVM on a loaded CI machine
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ContextConfiguration(initializers = MongoOutageTests.StoppableMongo.class)
class MongoOutageTests {

    private static final Duration OUTAGE = Duration.ofSeconds(6);

    @Autowired
    WebTestClient client;

    @Autowired
    KafkaTemplate<String, Object> kafkaTemplate;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @AfterAll
    static void stopMongo() {
        StoppableMongo.stop();
    }

    @Test
    void theListenerWaitsForTheStoreAndAppliesTheRecordWhenItIsBack() throws Exception {
        String article = "outage-" + UUID.randomUUID();
        String id = new CommentIds().next();
        var topics = new KafkaTopics(bootstrapServers);

        StoppableMongo.stop();
        Instant at = Instant.now();
        var event = new CommentModerated(
                UUID.randomUUID(),
                at,
                id,
                article,
                1,
                Outcome.APPROVED,
                false,
                List.of(),
                null,
                new CommentModerated.PublicComment(null, "Ada", null, "Published after the outage", at),
                null);
        var sent =
                kafkaTemplate.send(Topics.COMMENTS_MODERATED, id, event).join().getRecordMetadata();

        // far longer than the bounded back-off: still not committed, still not dead-lettered
        await().during(OUTAGE)
                .atMost(OUTAGE.plusSeconds(10))
                .until(() -> !topics.consumedPast("comment-service", sent.topic(), sent.partition(), sent.offset())
                        && topics.records(Topics.COMMENTS_MODERATED_DLT).stream()
                                .noneMatch(r -> id.equals(r.key())));

        StoppableMongo.start();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(page(article)).contains(id));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> topics.consumedPast("comment-service", sent.topic(), sent.partition(), sent.offset()));
        assertThat(topics.records(Topics.COMMENTS_MODERATED_DLT)).noneMatch(r -> id.equals(r.key()));
    }

    private String page(String article) {
        byte[] body = client.get()
                .uri("/api/articles/" + article + "/comments")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    /** A mongo-java-server that can be stopped and started again on the same port (empty again: fine here). */
    static class StoppableMongo implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        private static MongoServer server;
        private static int port;

        static synchronized void start() {
            server = new MongoServer(new MemoryBackend());
            server.bind("localhost", port);
            port = server.getLocalAddress().getPort();
        }

        static synchronized void stop() {
            if (server != null) {
                server.shutdownNow();
                server = null;
            }
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            start();
            TestPropertyValues.of("spring.mongodb.uri=mongodb://localhost:" + port
                            + "/comments?serverSelectionTimeoutMS=300&connectTimeoutMS=300")
                    .applyTo(context);
        }
    }
}
