package dev.talkback.moderation.deadletters;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One dead letter as the list shows it.
 *
 * @param id             {@code <topic>-<partition>-<offset>}, what {@code redrive} takes
 * @param key            the record's key (the comment id), if it is text
 * @param deadLetteredAt the dead letter's timestamp
 * @param original       where it was consumed from when it failed
 * @param failure        the exception that sent it here (the listener's, or the deserialiser's)
 * @param value          the value as text when it is valid UTF-8, cut at {@code moderation.dead-letters.max-value-chars}
 * @param valueBytes     the value's size in bytes
 * @param valueTruncated whether {@code value} was cut
 * @param type           the {@code __TypeId__} header (the event type), kept on re-drive
 * @param redriven       whether it was re-driven (or a re-drive began)
 * @param redrive        the re-drive, or {@code null}
 */
record DeadLetterView(
        String id,
        String topic,
        int partition,
        long offset,
        @Nullable String key,
        Instant deadLetteredAt,
        Original original,
        Failure failure,
        @Nullable String value,
        int valueBytes,
        boolean valueTruncated,
        @Nullable String type,
        boolean redriven,
        @Nullable RedriveView redrive) {

    record Original(
            @Nullable String topic,
            @Nullable Integer partition,
            @Nullable Long offset,
            @Nullable Instant timestamp,
            @Nullable String consumerGroup) {}

    record Failure(
            @Nullable String exception,
            @Nullable String message,
            @Nullable String cause) {}

    /**
     * @param state  {@code REDRIVEN}, or {@code REDRIVING} when the instance did not see Kafka's answer
     * @param target where it was produced, {@code <topic>-<partition>-<offset>}
     * @param count  how many times (more than one only when forced)
     */
    record RedriveView(
            String state, Instant at, String by, @Nullable String target, int count) {}
}
