package dev.talkback.comments;

import dev.talkback.testsupport.EmbeddedMongo;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** One mongo-java-server (MongoDB wire protocol, in memory) per test JVM, handed to Spring as {@code spring.mongodb.uri}. */
public class InMemoryMongo implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final EmbeddedMongo SERVER = EmbeddedMongo.start();

    static String uri() {
        return SERVER.uri("comments");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("spring.mongodb.uri=" + uri()).applyTo(context);
    }
}
