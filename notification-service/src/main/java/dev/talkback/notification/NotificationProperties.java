package dev.talkback.notification;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of notification-service, prefix {@code notification}. Each one is listed with its meaning in the
 * module's README.
 *
 * @param commentUrl        link to a published comment; {@code {articleId}} and {@code {commentId}} are replaced by
 *                          the URL-encoded ids
 * @param mailFrom          the sender of every mail, an RFC 5322 address with an optional display name
 * @param replyTo           the Reply-To address, or empty for none
 * @param siteName          the site's name as readers know it; used in subjects and bodies
 * @param excerptLength     how many characters of the comment the mail quotes at most
 * @param topicPartitions   partitions of the topics this service declares (the consumed topic and its dead letters)
 * @param topicReplicas     replication factor of those topics
 * @param storeTimeout      how long the listener waits for one MongoDB operation
 * @param healthTimeout     how long the Kafka and MongoDB health checks wait for an answer
 * @param retry             the back-off before a failing record goes to the dead-letter topic
 */
@Validated
@ConfigurationProperties("notification")
public record NotificationProperties(
        @DefaultValue("http://localhost:8080/articles/{articleId}#comment-{commentId}")
        @NotBlank @Pattern(regexp = "https?://.+", message = "must be an http or https URL") String commentUrl,
        @DefaultValue("Talkback <comments@localhost>") @NotBlank String mailFrom,
        @Nullable String replyTo,
        @DefaultValue("Talkback") @NotBlank String siteName,
        @DefaultValue("200") @Min(20) @Max(2000) int excerptLength,
        @DefaultValue("6") @Min(1) int topicPartitions,
        @DefaultValue("1") @Min(1) short topicReplicas,
        @DefaultValue("10s") @NotNull Duration storeTimeout,
        @DefaultValue("3s") @NotNull Duration healthTimeout,
        @DefaultValue @Valid @NotNull Retry retry) {

    /**
     * Bounded exponential back-off of the Kafka error handler: after the first failure a record is retried
     * {@code maxRetries} times, waiting {@code initialInterval}, then each time {@code multiplier} times longer, at
     * most {@code maxInterval}; then it is published to {@code <topic>-dlt}.
     */
    public record Retry(
            @DefaultValue("1s") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("8s") @NotNull Duration maxInterval,
            @DefaultValue("4") @Min(0) @Max(100) int maxRetries) {
    }

    /** The Reply-To address, if one is configured. */
    public @Nullable String replyToOrNull() {
        return replyTo == null || replyTo.isBlank() ? null : replyTo;
    }
}
