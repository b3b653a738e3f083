package dev.talkback.moderation.comments;

import dev.talkback.events.CommentAppealed;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.kafka.CommentIdLogging;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Authors' requests for a human review of a rejection, from {@code comments.appealed.v1}: the comment enters the
 * {@code APPEALED} queue when the contested decision is still its current one and it was not appealed before (a
 * redelivered request changes nothing). A moderator's decision resolves the appeal with its outcome; the author learns
 * it the way they learnt the rejection (the status, the mail), with its statement of reasons.
 */
@Service
class CommentAppeals {

    private static final Logger log = LoggerFactory.getLogger(CommentAppeals.class);

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    CommentAppeals(ReactiveMongoTemplate mongo, ModerationProperties properties) {
        this.mongo = mongo;
        this.timeout = properties.storeTimeout();
    }

    /** Returns once the appeal is stored, so that the offset is committed after the effect. */
    @KafkaListener(topics = Topics.COMMENTS_APPEALED)
    void onAppealed(CommentAppealed appealed) {
        receive(appealed).block(timeout.multipliedBy(3));
    }

    Mono<Boolean> receive(CommentAppealed event) {
        Query contested = Query.query(Criteria.where("_id")
                .is(event.commentId())
                .and("decision.revision")
                .is(event.revision())
                .and("decision.outcome")
                .is(CommentModerated.Outcome.REJECTED.name())
                .and("appeal")
                .is(null));
        var appeal = new ModeratedComment.Appeal(
                ModeratedComment.millis(event.occurredAt()), event.revision(), event.explanation(), null, null);
        return mongo.updateFirst(contested, new Update().set("appeal", appeal), ModeratedComment.class)
                .map(result -> result.getModifiedCount() == 1)
                .doOnNext(stored -> {
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, event.commentId())) {
                        log.info(
                                "Comment {}: its author asked for a human review of revision {}{}",
                                event.commentId(),
                                event.revision(),
                                stored ? "; in the appealed queue" : " (not the current rejection, or asked before)");
                    }
                });
    }

    /** The appealed queue reads the few comments with an appeal (sparse: the others are not in the index). */
    @Bean
    static CollectionIndexes appealIndexes() {
        return CollectionIndexes.on(
                ModeratedComment.class,
                new Index().on("appeal.since", Sort.Direction.ASC).sparse());
    }
}
