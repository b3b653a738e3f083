package dev.talkback.notification.kafka;

import dev.talkback.events.CommentModerated;

/**
 * One kind of notification triggered by a moderation decision (author published/rejected, reply, held queue,
 * webhooks). Handlers only record what must be sent (in the outbox, or in their own collections); they never send.
 * Every handler must be idempotent (unique delivery keys, revision-conditional updates): when one handler fails,
 * the whole record is retried and the others see it again.
 */
public interface CommentModeratedHandler {

    /**
     * Reacts to a decision; throws when the effect could not be achieved and must be retried.
     */
    void handle(CommentModerated event);
}
