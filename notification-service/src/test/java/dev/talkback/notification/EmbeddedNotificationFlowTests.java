package dev.talkback.notification;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios on the default test backends: spring-kafka-test's embedded KRaft broker and mongo-java-server in
 * memory.
 */
@EmbeddedKafka(count = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class EmbeddedNotificationFlowTests extends NotificationFlowScenarios {

    static final MongoServer mongo = new MongoServer(new MemoryBackend());
    static final InetSocketAddress mongoAddress = mongo.bind();

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> "mongodb://127.0.0.1:" + mongoAddress.getPort() + "/notification");
    }
}
