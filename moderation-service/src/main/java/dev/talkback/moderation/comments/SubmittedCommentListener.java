package dev.talkback.moderation.comments;

import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code comments.submitted.v1} in the group {@code spring.kafka.consumer.group-id} (moderation-service).
 * Returns only when the decision is stored and published, so the offset is committed after the effect.
 */
@Component
class SubmittedCommentListener {

    private final AutomaticModeration moderation;

    SubmittedCommentListener(AutomaticModeration moderation) {
        this.moderation = moderation;
    }

    @KafkaListener(topics = Topics.COMMENTS_SUBMITTED)
    void onSubmitted(CommentSubmitted submitted) {
        moderation.moderate(submitted);
    }
}
