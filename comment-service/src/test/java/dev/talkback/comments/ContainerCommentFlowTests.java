package dev.talkback.comments;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/** The same flow against real {@code apache/kafka} and {@code mongo} images; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "comments.topic-partitions=2",
            "comments.status-token-secret=test-secret-test-secret-test-secret",
            "comments.retry.initial-interval=50ms",
            "comments.retry.max-retries=2",
            "comments.page-cache-ttl=1h"
        })
@AutoConfigureWebTestClient(timeout = "30s") // the 5 s default is too short for a cold JVM on a loaded CI machine
class ContainerCommentFlowTests extends CommentFlowScenarios {

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");

    @Container
    static final MongoDBContainer mongo = new MongoDBContainer("mongo:8");

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", kafka::getBootstrapServers);
        registry.add("spring.mongodb.uri", () -> mongo.getReplicaSetUrl("comments"));
    }
}
