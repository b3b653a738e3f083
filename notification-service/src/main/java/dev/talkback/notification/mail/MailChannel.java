package dev.talkback.notification.mail;

import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliverySender;
import dev.talkback.notification.delivery.MailPayload;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.delivery.SendResult;
import dev.talkback.notification.subscription.Recipients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.InternetAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.stereotype.Component;

/**
 * Sends the mails of the outbox. Right before sending it checks what the address agreed to (so an unsubscribe
 * between recording and sending is honoured): bounced before, unsubscribed from this kind, or not confirmed for a
 * kind that needs it → not sent; over the rate limit → dropped (cancelled), counted in
 * {@code notification.mail.dropped{reason=rate-limit}} and logged without the address: never postponed, so that no
 * one can pile up mail for an address. Exceptions become results; their messages are never logged or stored, since
 * an SMTP reply may quote the address.
 */
@Component
class MailChannel implements DeliverySender {

    static final String DROPPED_METRIC = "notification.mail.dropped";

    private static final Logger log = LoggerFactory.getLogger(MailChannel.class);

    private final Mailer mailer;
    private final Recipients recipients;
    private final RateLimiter rateLimiter;
    private final Counter droppedOverLimit;

    MailChannel(Mailer mailer, Recipients recipients, RateLimiter rateLimiter, MeterRegistry meters) {
        this.mailer = mailer;
        this.recipients = recipients;
        this.rateLimiter = rateLimiter;
        this.droppedOverLimit = Counter.builder(DROPPED_METRIC)
                .description("Mails not sent because their recipient was over the per-recipient rate limit")
                .tag("reason", "rate-limit")
                .register(meters);
    }

    @Override
    public Channel channel() {
        return Channel.MAIL;
    }

    @Override
    public void idle() {
        mailer.closeIdleConnections();
    }

    @Override
    public SendResult send(OutboxEntry entry) {
        MailPayload mail = entry.mail();
        String address = mail == null ? null : mail.to();
        if (mail == null || address == null) {
            return SendResult.failed("no mail recorded");
        }
        Optional<InternetAddress> to = MailAddresses.recipient(address);
        if (to.isEmpty()) {
            return SendResult.failed("unusable address");
        }
        Recipients.State state = recipients.state(address);
        if (state.bounced()) {
            return SendResult.cancelled("address bounced before");
        }
        if (state.unsubscribedFrom(mail.listKind())) {
            return SendResult.cancelled("unsubscribed from " + mail.listKind());
        }
        if (mail.requiresConfirmation() && !state.confirmed()) {
            return SendResult.cancelled("address not confirmed");
        }
        // The moderators' digest has its own, stricter throttle (one per interval).
        // Counted once per mail, on its first attempt: retries of the same mail after an SMTP failure are not more
        // mail to the recipient, and must not use up (and then drop) their share.
        if (!"moderation-digest".equals(mail.listKind())
                && entry.attempts() <= 1
                && !rateLimiter.acquire(mail.recipientHash())) {
            droppedOverLimit.increment();
            log.warn("A mail ({}) was dropped: its recipient is over the rate limit", mail.listKind());
            return SendResult.cancelled("dropped: rate limit");
        }
        try {
            mailer.send(new OutgoingMail(
                    to.get(), mail.subject(), mail.text(), mail.html(), mail.unsubscribeUrl(), entry.id()));
            return SendResult.sent();
        } catch (MailException ex) {
            String type = Failures.types(ex);
            return switch (SmtpFailures.classify(ex)) {
                case BOUNCED -> {
                    recipients.markBounced(address);
                    yield SendResult.failed("bounced (SMTP 5xx): " + type);
                }
                case PERMANENT -> SendResult.failed("refused: " + type);
                case UNAVAILABLE -> SendResult.unavailable(type);
                case TRANSIENT -> SendResult.retry(type);
            };
        }
    }

    /** The exception types of a failure, outermost first; messages left out (they may quote the address). */
    static final class Failures {

        private Failures() {}

        static String types(Throwable ex) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = ex; t != null && chain.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
                chain.append(chain.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName());
            }
            return chain.toString();
        }
    }
}
