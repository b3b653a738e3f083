package dev.talkback.notification.delivery;

/**
 * Sends the deliveries of one channel. Called by the {@link Dispatcher} on its own thread, which may block; must
 * not throw for an expected failure (it answers a {@link SendResult}); an unexpected exception counts as
 * {@link SendResult.Outcome#RETRY}.
 */
public interface DeliverySender {

    Channel channel();

    SendResult send(OutboxEntry entry);
}
