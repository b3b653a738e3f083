package dev.talkback.moderation.comments;

import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/** The insert of newly decided comments, a poll's at a time ({@link ModeratedComments}' own part). */
interface NewComments {

    /**
     * What an insert did: the ids that were stored already (left unchanged: a redelivery, a retry, or another instance
     * that took them at the same moment) and the ids the store refused for another reason, with why; every other
     * comment is now stored.
     */
    record Inserted(Set<String> duplicates, Map<String, RuntimeException> refused) {

        static final Inserted ALL = new Inserted(Set.of(), Map.of());
    }

    /**
     * Inserts the comments in one unordered bulk write: one that is stored already fails alone, and the others are
     * inserted all the same. Fails as a whole only if the write as a whole failed (the store is unreachable, a write
     * concern error).
     */
    Mono<Inserted> insertNew(List<ModeratedComment> comments);
}
