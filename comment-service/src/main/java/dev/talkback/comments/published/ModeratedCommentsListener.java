package dev.talkback.comments.published;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Builds the read model from {@code comments.moderated.v1}. Offsets are committed once the records of a poll have
 * been handled, so after their documents were written; failures go to the common error handler (back-off, then the
 * dead-letter topic).
 */
@Component
class ModeratedCommentsListener {

    private static final Logger log = LoggerFactory.getLogger(ModeratedCommentsListener.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

    private final PublishedComments readModel;
    private final ArticlePageCache pages;

    ModeratedCommentsListener(PublishedComments readModel, ArticlePageCache pages) {
        this.readModel = readModel;
        this.pages = pages;
    }

    @KafkaListener(id = "comment-service-read-model", groupId = "comment-service", topics = Topics.COMMENTS_MODERATED)
    void on(CommentModerated event) {
        // a listener thread, not an event loop: blocking here keeps per-partition order and commit-after-store
        Boolean applied = readModel.apply(event).block(STORE_TIMEOUT);
        if (Boolean.TRUE.equals(applied)) {
            // this instance's pages at once; LiveComments evicts them on every instance too, but it hears of the
            // decision on its own consumer, often before the read model holds it, and then waits to read it again
            pages.evict(event.articleId());
            log.info(
                    "Comment {} of article {} is now {} (revision {})",
                    event.commentId(),
                    event.articleId(),
                    CommentStatus.of(event.outcome()),
                    event.revision());
        } else {
            log.info(
                    "Comment {}: ignored stale or repeated decision (revision {})",
                    event.commentId(),
                    event.revision());
        }
    }
}
