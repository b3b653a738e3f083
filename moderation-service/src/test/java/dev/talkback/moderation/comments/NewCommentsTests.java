package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import dev.talkback.engine.Decision;
import dev.talkback.engine.Verdict;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.kafka.Outages;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/**
 * What an unordered bulk insert's write errors mean for each comment of a poll: stored already (its stored decision
 * is published), refused for a reason of the document (a poison record: retried, then dead-lettered), or not
 * written because the replica set was changing (an outage: retried until it is over, never dead-lettered).
 */
class NewCommentsTests {

    @Test
    void eachWriteErrorIsTheCommentsAtItsIndex() {
        List<ModeratedComment> poll = List.of(comment(), comment(), comment(), comment());
        var bulk = new MongoBulkWriteException(
                BulkWriteResult.acknowledged(1, 0, 0, 0, List.of(), List.of()),
                List.of(
                        new BulkWriteError(11000, "E11000 duplicate key", new BsonDocument(), 1),
                        new BulkWriteError(189, "primary stepped down", new BsonDocument(), 2),
                        new BulkWriteError(121, "document failed validation", new BsonDocument(), 3)),
                null,
                new ServerAddress(),
                Set.of());

        var inserted = NewCommentsImpl.inserted(poll, bulk, bulk);

        assertThat(inserted.duplicates()).containsExactly(poll.get(1).id());
        assertThat(inserted.refused())
                .containsOnlyKeys(poll.get(2).id(), poll.get(3).id());
        assertThat(Outages.isOutage(inserted.refused().get(poll.get(2).id()))).isTrue();
        assertThat(Outages.isOutage(inserted.refused().get(poll.get(3).id()))).isFalse();
    }

    private static ModeratedComment comment() {
        var submitted = TestComments.submitted(TestComments.article(), TestComments.author(), "Fine words.", null);
        return ModeratedComment.decidedAutomatically(
                submitted,
                new Decision(Verdict.APPROVE, List.of(), null, "v"),
                Instant.now(),
                UUID.randomUUID(),
                new ModerationProperties.Statements("the site's comment rules", "Write to the editors."),
                "key");
    }
}
