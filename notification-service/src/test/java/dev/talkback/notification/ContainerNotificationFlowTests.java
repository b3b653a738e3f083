package dev.talkback.notification;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The scenarios against real {@code apache/kafka} and {@code mongo} images; skipped when there is no Docker
 * engine. SMTP stays GreenMail in-process.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerNotificationFlowTests extends NotificationFlowScenarios {

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");

    @Container
    static final MongoDBContainer mongo = new MongoDBContainer("mongo:8");

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", kafka::getBootstrapServers);
        registry.add("spring.mongodb.uri", () -> mongo.getReplicaSetUrl("notification"));
    }
}
