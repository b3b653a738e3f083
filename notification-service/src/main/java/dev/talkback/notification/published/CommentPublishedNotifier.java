package dev.talkback.notification.published;

import java.util.Optional;

import jakarta.mail.internet.InternetAddress;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.notification.CommentModeratedHandler;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.DeliveryLedger;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.mail.Mailer;
import dev.talkback.notification.mail.OutgoingMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Mails the author when their comment is approved, once per comment and address: a redelivered event, or a
 * later approval of the same comment (after a hold, for instance), finds the delivery already sent. REJECTED and
 * HELD decisions, and approvals without a contact address, send nothing.
 */
@Component
class CommentPublishedNotifier implements CommentModeratedHandler {

    static final String KIND = "comment-published";

    private static final Logger log = LoggerFactory.getLogger(CommentPublishedNotifier.class);

    private final CommentPublishedMail template;
    private final DeliveryLedger ledger;
    private final Mailer mailer;

    CommentPublishedNotifier(CommentPublishedMail template, DeliveryLedger ledger, Mailer mailer) {
        this.template = template;
        this.ledger = ledger;
        this.mailer = mailer;
    }

    @Override
    public void handle(CommentModerated event) {
        if (event.outcome() != Outcome.APPROVED) {
            return;
        }
        String email = event.contact() == null ? null : event.contact().email();
        if (email == null || email.isBlank()) {
            log.info("Comment {} published; no contact address, no mail", event.commentId());
            return;
        }
        Optional<InternetAddress> recipient = MailAddresses.recipient(email);
        if (recipient.isEmpty()) {
            log.warn("Comment {} published; contact address unusable, no mail", event.commentId());
            return;
        }
        DeliveryKey key = DeliveryKey.of(KIND, event.commentId(), recipient.get().getAddress());
        CommentPublishedMail.Content content = template.render(event);
        DeliveryLedger.Result result = ledger.deliverOnce(key, event.eventId(), () -> mailer.send(
                new OutgoingMail(recipient.get(), content.subject(), content.text(), content.html())));
        if (result == DeliveryLedger.Result.SENT) {
            log.info("Comment {} published; author mailed (event {}, revision {})", event.commentId(),
                    event.eventId(), event.revision());
        }
        else {
            log.info("Comment {} published; author mail already sent, skipped (event {}, revision {})",
                    event.commentId(), event.eventId(), event.revision());
        }
    }
}
