package dev.talkback.notification.published;

import java.util.Optional;

import jakarta.mail.internet.InternetAddress;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.notification.CommentModeratedHandler;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.mail.MailOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records the author's mail: "published" when the comment is approved, and — only if
 * {@code notification.notify-rejections} — "not published" with the public reason when it is rejected. Once per
 * comment, kind and address: a redelivered event, or a later approval of the same comment (after a hold, for
 * instance), finds the delivery already recorded. HELD sends nothing to the author.
 */
@Component
class CommentPublishedNotifier implements CommentModeratedHandler {

    static final String KIND = "comment-published";
    static final String REJECTED_KIND = "comment-rejected";

    private static final Logger log = LoggerFactory.getLogger(CommentPublishedNotifier.class);

    private final CommentPublishedMail template;
    private final MailOutbox outbox;
    private final boolean notifyRejections;

    CommentPublishedNotifier(CommentPublishedMail template, MailOutbox outbox, NotificationProperties properties) {
        this.template = template;
        this.outbox = outbox;
        this.notifyRejections = properties.notifyRejections();
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
        Optional<InternetAddress> recipient = MailAddresses.recipient(email);
        if (recipient.isEmpty()) {
            log.warn("Comment {} {}; contact address unusable, no mail", event.commentId(), what);
            return;
        }
        CommentPublishedMail.Content content = approved ? template.render(event) : template.renderRejected(event);
        String kind = approved ? KIND : REJECTED_KIND;
        boolean recorded = outbox.record(new MailOutbox.Draft(kind, event.commentId(), kind, false,
                content.subject(), content.text(), content.html()), recipient.get(), event.eventId());
        log.info("Comment {} {}; author mail {} (event {}, revision {})", event.commentId(), what,
                recorded ? "recorded" : "recorded before, skipped", event.eventId(), event.revision());
    }
}
