package dev.talkback.notification.published;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.kafka.CommentModeratedHandler;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.mail.MailOutbox;
import dev.talkback.notification.optin.Confirmations;
import dev.talkback.notification.subscription.Recipients;
import jakarta.mail.internet.InternetAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records the author's mail, only when they asked for it in the form ({@code notifyPublished}): "published" when
 * the comment is approved, and — only if {@code notification.mail.notify-rejections} — "not published" with the public
 * reason when it is rejected. The form is open to anyone, who can type anyone's address: so an address that has
 * not confirmed gets a confirmation request instead ({@link Confirmations}), and the mail waits in the outbox for
 * the confirmation (cancelled once the link has expired). Once per comment, kind and address: a redelivered event,
 * or a later approval of the same comment (after a hold, for instance), finds the delivery already recorded. HELD
 * sends nothing to the author.
 */
@Component
class CommentPublishedNotifier implements CommentModeratedHandler {

    static final String KIND = "comment-published";
    static final String REJECTED_KIND = "comment-rejected";

    private static final Logger log = LoggerFactory.getLogger(CommentPublishedNotifier.class);

    private final CommentPublishedMail template;
    private final MailOutbox outbox;
    private final Confirmations confirmations;
    private final boolean notifyRejections;

    CommentPublishedNotifier(
            CommentPublishedMail template,
            MailOutbox outbox,
            Confirmations confirmations,
            NotificationProperties properties) {
        this.template = template;
        this.outbox = outbox;
        this.confirmations = confirmations;
        this.notifyRejections = properties.mail().notifyRejections();
    }

    @Override
    public void handle(CommentModerated event) {
        boolean approved = event.outcome() == Outcome.APPROVED;
        if (!approved && !(event.outcome() == Outcome.REJECTED && notifyRejections)) {
            return;
        }
        String what = approved ? "published" : "rejected";
        String email = event.contact() == null ? null : event.contact().email();
        if (email == null || email.isBlank()) {
            log.info("Comment {} {}; no contact address, no mail", event.commentId(), what);
            return;
        }
        if (!event.contact().notifyPublished()) {
            log.info("Comment {} {}; the author did not ask for mail", event.commentId(), what);
            return;
        }
        Optional<InternetAddress> recipient = MailAddresses.recipient(email);
        if (recipient.isEmpty()) {
            log.warn("Comment {} {}; contact address unusable, no mail", event.commentId(), what);
            return;
        }
        String kind = approved ? KIND : REJECTED_KIND;
        // (an unsubscribed or bounced address is asked nothing; its mail is recorded and cancelled when due)
        Recipients.State state = confirmations.askUnlessConfirmed(event, recipient.get(), kind);
        CommentPublishedMail.Content content = approved ? template.render(event) : template.renderRejected(event);
        var draft = new MailOutbox.Draft(
                kind, event.commentId(), kind, true, content.subject(), content.text(), content.html());
        boolean recorded = state.confirmed()
                ? outbox.record(draft, recipient.get(), event.eventId())
                : outbox.recordAwaitingConfirmation(draft, recipient.get(), event.eventId());
        log.info(
                "Comment {} {}; author mail {}{} (event {}, revision {})",
                event.commentId(),
                what,
                recorded ? "recorded" : "recorded before, skipped",
                state.confirmed() ? "" : ", waiting for the address's confirmation",
                event.eventId(),
                event.revision());
    }
}
