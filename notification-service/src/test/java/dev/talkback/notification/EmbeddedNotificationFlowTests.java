package dev.talkback.notification;

import dev.talkback.testsupport.EmbeddedMongo;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios on the default test backends: spring-kafka-test's embedded KRaft broker and mongo-java-server in
 * memory.
 */
@EmbeddedKafka(count = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class EmbeddedNotificationFlowTests extends NotificationFlowScenarios {

    private static final EmbeddedMongo MONGO = EmbeddedMongo.start();

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MONGO.uri("notification"));
    }
}
