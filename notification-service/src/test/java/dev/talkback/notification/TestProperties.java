package dev.talkback.notification;

import dev.talkback.support.kafka.KafkaRetry;
import java.time.Duration;
import java.util.List;

/** {@link NotificationProperties} for unit tests: the documented defaults, with the few values a test cares about. */
public final class TestProperties {

    private TestProperties() {}

    public static NotificationProperties of(
            String commentUrl, String siteName, int excerptLength, Duration healthTimeout) {
        return new NotificationProperties(
                commentUrl,
                "Talkback <comments@localhost>",
                null,
                siteName,
                excerptLength,
                6,
                (short) 1,
                Duration.ofSeconds(10),
                healthTimeout,
                new KafkaRetry(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8)),
                "http://localhost:8082",
                null,
                new NotificationProperties.Security("", "roles", "", "talkback-notification"),
                false,
                List.of(),
                Duration.ofMinutes(15),
                "http://localhost:8081/moderation/comments/{commentId}",
                List.of(),
                Duration.ofSeconds(5),
                new NotificationProperties.Outbox(
                        Duration.ofSeconds(1),
                        50,
                        Duration.ofMinutes(2),
                        0.2,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(15),
                        Duration.ofDays(3),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(10),
                        8,
                        Duration.ofSeconds(10),
                        2.0),
                new NotificationProperties.RateLimit(10, Duration.ofHours(1)),
                new NotificationProperties.WebhookPolicy(false, false),
                new NotificationProperties.Confirmation(
                        Duration.ofDays(7), Duration.ofDays(1), "http://localhost:8080/articles/{articleId}"));
    }
}
