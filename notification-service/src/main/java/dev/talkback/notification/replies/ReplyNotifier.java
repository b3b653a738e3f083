package dev.talkback.notification.replies;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.kafka.CommentModeratedHandler;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.mail.MailOutbox;
import dev.talkback.notification.mail.MailText;
import dev.talkback.notification.optin.Confirmations;
import dev.talkback.notification.subscription.Recipients;
import jakarta.mail.internet.InternetAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * For every decision: keeps the author's contact; when an approved comment asks for reply notifications from an
 * address that has not confirmed, records a confirmation request ({@link Confirmations}: the same one that
 * "published" mails need, at most one per address and interval); when an approved comment is a
 * reply, records a mail to the parent's author, if they asked for replies, confirmed, and are not the one who
 * replied. A reply to an unconfirmed address is not recorded at all; the dispatcher checks confirmation and
 * unsubscription again before sending.
 */
@Component
class ReplyNotifier implements CommentModeratedHandler {

    private static final Logger log = LoggerFactory.getLogger(ReplyNotifier.class);

    private final ContactBook contacts;
    private final Recipients recipients;
    private final MailOutbox outbox;
    private final Confirmations confirmations;
    private final NotificationProperties properties;
    private final String siteName;

    ReplyNotifier(
            ContactBook contacts,
            Recipients recipients,
            MailOutbox outbox,
            Confirmations confirmations,
            NotificationProperties properties) {
        this.contacts = contacts;
        this.recipients = recipients;
        this.outbox = outbox;
        this.confirmations = confirmations;
        this.properties = properties;
        this.siteName = MailText.singleLine(properties.site().name(), 100);
    }

    @Override
    public void handle(CommentModerated event) {
        Optional<InternetAddress> author =
                event.contact() == null || event.contact().email() == null
                        ? Optional.empty()
                        : MailAddresses.recipient(event.contact().email());
        author.ifPresent(address -> contacts.save(
                event.commentId(),
                event.articleId(),
                address.getAddress(),
                event.contact().notifyReplies(),
                event.comment().authorName()));
        if (event.outcome() != Outcome.APPROVED) {
            return;
        }
        if (author.isPresent() && event.contact().notifyReplies()) {
            confirmations.askUnlessConfirmed(event, author.get(), Recipients.REPLY_KIND);
        }
        if (event.comment().parentId() != null) {
            notifyParent(event, author);
        }
    }

    private void notifyParent(CommentModerated event, Optional<InternetAddress> replier) {
        ContactBook.Contact parent = contacts.find(event.comment().parentId());
        if (parent == null || !parent.notifyReplies()) {
            return;
        }
        Optional<InternetAddress> address =
                parent.email() == null ? Optional.empty() : MailAddresses.recipient(parent.email());
        if (address.isEmpty()
                || replier.map(r -> contacts.writtenFrom(parent, r.getAddress()))
                        .orElse(false)) {
            return;
        }
        if (!recipients.state(parent.email()).confirmed()) {
            log.info(
                    "Comment {} replies to {}; parent's author has not confirmed, no mail",
                    event.commentId(),
                    event.comment().parentId());
            return;
        }
        int excerptLength = properties.mail().excerptLength();
        String name = MailText.singleLine(parent.authorName() == null ? "" : parent.authorName(), 100);
        String replyName = MailText.singleLine(
                event.comment().authorName() == null
                        ? "Someone"
                        : event.comment().authorName(),
                100);
        String excerpt = MailText.excerpt(
                event.comment().text() == null ? "" : event.comment().text(), excerptLength);
        String article = MailText.singleLine(event.articleId(), 100);
        String link = MailText.link(properties.site().commentUrl(), event.articleId(), event.commentId());
        String greeting = name.isEmpty() ? "Hello," : "Hello " + name + ",";
        String subject = "New reply to your comment on " + siteName;
        String text = greeting + "\n\n" + replyName + " replied to your comment on " + siteName + " (article "
                + article + "):\n\n    \"" + excerpt + "\"\n\nRead it here: " + link + "\n\n"
                + "You receive this mail because you asked to hear about replies to your comments.\n";
        String html = "<p>" + MailText.escape(greeting) + "</p>\n<p>" + MailText.escape(replyName)
                + " replied to your comment on " + MailText.escape(siteName) + " (article "
                + MailText.escape(article) + "):</p>\n<blockquote>" + MailText.escape(excerpt) + "</blockquote>\n"
                + "<p><a href=\"" + MailText.escape(link) + "\">Read it here</a></p>\n"
                + "<p><small>You receive this mail because you asked to hear about replies to your comments."
                + "</small></p>\n";
        boolean recorded = outbox.record(
                new MailOutbox.Draft(
                        Recipients.REPLY_KIND, event.commentId(), Recipients.REPLY_KIND, true, subject, text, html),
                address.get(),
                event.eventId());
        log.info(
                "Comment {} replies to {}; parent's author mail {}",
                event.commentId(),
                event.comment().parentId(),
                recorded ? "recorded" : "recorded before, skipped");
    }
}
