package dev.talkback.moderation.deadletters;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * That a dead letter was re-driven, one document per dead letter ({@code _id} = its id): the unique id is what stops
 * a second re-drive (unless forced). The document is written before the record is produced ({@code REDRIVING}), so two
 * administrators re-driving at once cannot both produce it; it becomes {@code REDRIVEN} with the new offset once Kafka
 * acknowledged, and is removed again when producing failed.
 *
 * @param id     the dead letter's id
 * @param state  {@code REDRIVING} (claimed; stays so if the instance died before Kafka answered) or {@code REDRIVEN}
 * @param at     when it was (last) re-driven
 * @param by     the subject of the administrator's token
 * @param target where the record was produced: {@code <topic>-<partition>-<offset>}, once acknowledged
 * @param count  how many times it was re-driven (more than 1 only with {@code force})
 */
@Document(collection = "dead_letter_redrives")
record Redrive(
        @Id String id,
        State state,
        Instant at,
        String by,
        @Nullable String target,
        int count) {

    enum State {
        REDRIVING,
        REDRIVEN
    }
}
