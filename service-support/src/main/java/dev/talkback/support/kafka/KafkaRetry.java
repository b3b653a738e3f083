package dev.talkback.support.kafka;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bounded exponential back-off of a record whose processing failed for a reason other than an outage (a poison
 * record): after the first failure it is retried {@code maxRetries} times, waiting {@code initialInterval}, then each
 * time {@code multiplier} times longer, at most {@code maxInterval}; then it goes to the dead letters. An outage is
 * retried without limit, at most every {@code maxInterval} ({@link Outages}). Each service's {@code <service>.retry}.
 *
 * @param maxRetries      retries after the first attempt
 * @param initialInterval wait before the first retry
 * @param multiplier      factor applied to the wait after each retry
 * @param maxInterval     longest single wait
 */
public record KafkaRetry(
        @DefaultValue("4") @Min(0) @Max(100) int maxRetries,
        @DefaultValue("500ms") @NotNull Duration initialInterval,
        @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
        @DefaultValue("4s") @NotNull Duration maxInterval) {}
