package dev.talkback.moderation.comments;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * {@link ModerationFlowTests} against the real {@code apache/kafka} and {@code mongo} images. Skipped when there is
 * no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersModerationFlowTests extends ModerationFlowTests {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.2");

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:8");

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", KAFKA::getBootstrapServers);
        registry.add("spring.mongodb.uri", () -> MONGO.getReplicaSetUrl("moderation"));
    }
}
