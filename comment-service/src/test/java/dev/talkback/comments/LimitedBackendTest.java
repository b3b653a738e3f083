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
 * Like {@link EmbeddedBackendTest}, with small edge limits and timeouts, for the tests that prove them, and the
 * nudge's draft check turned on. The client
 * address comes from {@code X-Forwarded-For} (the test client is a trusted proxy), so each test posts from addresses
 * of its own and the buckets of one test do not drain another's. Every class with exactly this annotation shares one
 * Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "comments.topic-partitions=2",
            "comments.status-token-secret=test-secret-test-secret-test-secret",
            "comments.client-ip.header=X-Forwarded-For",
            "comments.client-ip.trusted-proxies=127.0.0.1,::1",
            "comments.rate-limits.per-address.capacity=3",
            "comments.rate-limits.per-address.period=1h",
            "comments.rate-limits.per-email.capacity=2",
            "comments.rate-limits.per-email.period=1h",
            "comments.rate-limits.per-article.capacity=4",
            "comments.rate-limits.per-article.period=1h",
            "comments.rate-limits.reads.capacity=5",
            "comments.rate-limits.reads.period=1h",
            "comments.rate-limits.checks.capacity=4",
            "comments.rate-limits.checks.period=1h",
            "comments.rate-limits.reports.capacity=2",
            "comments.rate-limits.reports.period=1h",
            "comments.nudge.enabled=true",
            "comments.stream-limits.max-per-address=2",
            "comments.stream-limits.max-streams=4",
            "comments.stream-limits.max-lifetime=10s",
            "comments.stream-limits.buffer=4",
            "comments.stream.max-replay=3",
            "server.netty.idle-timeout=1s",
            "comments.timeouts.request-head=1s",
            "comments.timeouts.body=2s"
        })
@AutoConfigureWebTestClient(timeout = "30s")
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ContextConfiguration(initializers = InMemoryMongo.class)
public @interface LimitedBackendTest {}
