package dev.talkback.notification.delivery;

/** Where a delivery of the outbox stands. */
public enum DeliveryStatus {
    /** Recorded, waiting for its next attempt ({@code nextAttemptAt}). */
    PENDING,
    /** Claimed by one dispatcher until {@code leaseUntil}; after that another instance may take it again. */
    SENDING,
    /** Accepted by the mail server or the webhook (2xx); never sent again. */
    SENT,
    /** Given up: permanent refusal (SMTP 5xx), or retries exhausted. Webhook deliveries can be re-driven. */
    FAILED,
    /**
     * Not sent on purpose: the recipient unsubscribed, is not confirmed, bounced before, or was over the rate limit
     * (the mail is dropped, not postponed).
     */
    CANCELLED
}
