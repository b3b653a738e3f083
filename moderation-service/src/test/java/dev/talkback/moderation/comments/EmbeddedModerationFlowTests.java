package dev.talkback.moderation.comments;

import dev.talkback.testsupport.EmbeddedMongo;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ModerationFlowTests} on spring-kafka-test's embedded KRaft broker and the in-memory mongo-java-server. */
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class EmbeddedModerationFlowTests extends ModerationFlowTests {

    // lives as long as the JVM, like the cached application context that uses it
    private static final EmbeddedMongo MONGO = EmbeddedMongo.start();

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MONGO.uri("moderation"));
    }
}
