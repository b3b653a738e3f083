package dev.talkback.notification;

import dev.talkback.events.CommentModerated;

/**
 * One kind of notification triggered by a moderation decision (author published, later: author rejected, reply,
 * moderator digest, webhooks). Every handler must be idempotent through the delivery ledger: when one handler
 * fails, the whole record is retried and the others see it again.
 */
public interface CommentModeratedHandler {

    /**
     * Reacts to a decision; throws when the effect could not be achieved and must be retried.
     */
    void handle(CommentModerated event);
}
