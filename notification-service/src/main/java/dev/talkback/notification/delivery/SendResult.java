package dev.talkback.notification.delivery;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link DeliverySender} did with one delivery.
 *
 * @param outcome what happened
 * @param detail  why (an exception type, an HTTP status, a reason); never an address
 * @param until   for {@link Outcome#POSTPONED}: when to try again
 */
public record SendResult(
        Outcome outcome, String detail, @Nullable Instant until) {

    public enum Outcome {
        /** Accepted by the recipient's server. */
        SENT,
        /** Failed for now; retry after a back-off. */
        RETRY,
        /** Failed for now because the channel itself is down (no connection): retry, and stop this batch. */
        UNAVAILABLE,
        /** Refused for good (e.g. SMTP 5xx): never retried. */
        FAILED,
        /** Not to be sent at all (unsubscribed, unconfirmed, bounced before, over the rate limit). */
        CANCELLED,
        /** Not now (rate limit): due again at {@code until}, without counting an attempt. */
        POSTPONED
    }

    public static SendResult sent() {
        return new SendResult(Outcome.SENT, "", null);
    }

    public static SendResult retry(String detail) {
        return new SendResult(Outcome.RETRY, detail, null);
    }

    public static SendResult unavailable(String detail) {
        return new SendResult(Outcome.UNAVAILABLE, detail, null);
    }

    public static SendResult failed(String detail) {
        return new SendResult(Outcome.FAILED, detail, null);
    }

    public static SendResult cancelled(String detail) {
        return new SendResult(Outcome.CANCELLED, detail, null);
    }

    static SendResult postponed(Instant until, String detail) {
        return new SendResult(Outcome.POSTPONED, detail, until);
    }
}
