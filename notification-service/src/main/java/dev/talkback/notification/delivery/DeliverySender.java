package dev.talkback.notification.delivery;

/**
 * Sends the deliveries of one channel. Called by the {@link Dispatcher}'s workers, on their own threads (several at
 * once for mail, so it is thread-safe), which may block; must
 * not throw for an expected failure (it answers a {@link SendResult}); an unexpected exception counts as
 * {@link SendResult.Outcome#RETRY}.
 */
public interface DeliverySender {

    Channel channel();

    SendResult send(OutboxEntry entry);

    /** Nothing of this channel is due: a chance to let go of what is held between deliveries (open connections). */
    default void idle() {}
}
