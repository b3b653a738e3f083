package dev.talkback.notification.kafka;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import dev.talkback.support.kafka.Outages;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code comments.moderated.v1} in group {@code spring.kafka.consumer.group-id} (notification-service) and
 * hands each decision to every {@link CommentModeratedHandler}. The offset is committed after the handlers
 * returned; an exception goes to the error handler (back-off, then dead letters).
 */
@Component
class ModeratedCommentListener {

    private static final Logger log = LoggerFactory.getLogger(ModeratedCommentListener.class);

    private final List<CommentModeratedHandler> handlers;

    ModeratedCommentListener(List<CommentModeratedHandler> handlers) {
        this.handlers = handlers;
    }

    @KafkaListener(
            id = "moderated-comments",
            idIsGroup = false,
            topics = Topics.COMMENTS_MODERATED,
            concurrency = "${notification.kafka.consumers:3}")
    void onCommentModerated(CommentModerated event) {
        log.debug("Comment {} moderated: {} (revision {})", event.commentId(), event.outcome(), event.revision());
        try {
            for (CommentModeratedHandler handler : handlers) {
                handler.handle(event);
            }
        } catch (RuntimeException ex) {
            // Exception messages may quote the recipient (an SMTP 550 reply does), so only their types are logged.
            log.warn(
                    "Comment {}: notification failed ({}); the record will be retried, then dead-lettered",
                    event.commentId(),
                    Outages.causes(ex));
            throw ex;
        }
    }
}
