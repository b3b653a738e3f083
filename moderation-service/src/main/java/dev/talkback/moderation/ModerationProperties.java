package dev.talkback.moderation;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of moderation-service ({@code moderation.*}); each has a default. See the module's README.
 *
 * @param maxLinks           links a comment may contain before it is held for a moderator
 * @param bannedWords        words that get a comment rejected (matched on whole, normalised words)
 * @param topicPartitions    partitions of the topics this service declares (and of their dead-letter topics)
 * @param topicReplicas      replication factor of those topics
 * @param storeTimeout       longest wait for one MongoDB operation in the listener
 * @param publishTimeout     longest wait for Kafka to acknowledge a published decision
 * @param healthTimeout      longest wait of the Kafka and MongoDB health checks
 * @param retry              back-off of a failed record before it goes to the dead-letter topic
 */
@ConfigurationProperties("moderation")
@Validated
public record ModerationProperties(
        @DefaultValue("3") @PositiveOrZero int maxLinks,
        @DefaultValue List<String> bannedWords,
        @DefaultValue("6") @Positive int topicPartitions,
        @DefaultValue("1") @Positive short topicReplicas,
        @DefaultValue("10s") @NotNull Duration storeTimeout,
        @DefaultValue("10s") @NotNull Duration publishTimeout,
        @DefaultValue("3s") @NotNull Duration healthTimeout,
        @DefaultValue @Valid Retry retry) {

    /**
     * Exponential back-off of a record whose processing failed; after the last retry it is dead-lettered.
     *
     * @param maxRetries      retries after the first attempt
     * @param initialInterval wait before the first retry
     * @param multiplier      factor applied to the wait after each retry
     * @param maxInterval     longest single wait
     */
    public record Retry(
            @DefaultValue("4") @PositiveOrZero int maxRetries,
            @DefaultValue("500ms") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("4s") @NotNull Duration maxInterval) {
    }
}
