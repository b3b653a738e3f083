package dev.talkback.comments;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole service on a random port against spring-kafka-test's embedded KRaft broker and an in-memory
 * mongo-java-server. Every class with exactly this annotation shares one Spring context (and one broker).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "comments.topic-partitions=2",
            "comments.status-token-secret=test-secret-test-secret-test-secret",
            "comments.retry.initial-interval=50ms",
            "comments.retry.max-retries=2",
            // built pages live an hour here: what readers see after a change relies on the eviction alone
            "comments.page-cache-ttl=1h"
        })
@AutoConfigureWebTestClient(timeout = "30s") // the 5 s default is too short for a cold JVM on a loaded CI machine
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ContextConfiguration(initializers = InMemoryMongo.class)
public @interface EmbeddedBackendTest {}
