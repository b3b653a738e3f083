package dev.talkback.notification.mail;

import java.util.UUID;

import jakarta.mail.internet.InternetAddress;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.MailPayload;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.subscription.LinkTokens;
import org.springframework.stereotype.Component;

/**
 * Records a mail in the outbox: adds the signed one-click unsubscribe link (in the footer of both parts and in
 * the {@code List-Unsubscribe} header) and stores the rendered mail under its delivery key.
 */
@Component
public class MailOutbox {

    private final Outbox outbox;
    private final LinkTokens tokens;
    private final String publicUrl;
    private final String siteName;

    MailOutbox(Outbox outbox, LinkTokens tokens, NotificationProperties properties) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.publicUrl = properties.publicBaseUrl();
        this.siteName = MailText.singleLine(properties.siteName(), 100);
    }

    /**
     * A mail to record.
     *
     * @param kind                 kind of notification, part of the delivery key, e.g. {@code comment-published}
     * @param about                what it is about (comment id, digest number), part of the delivery key
     * @param listKind             what the recipient unsubscribes from with this mail's link
     * @param requiresConfirmation only sent to a confirmed address (double opt-in)
     * @param subject              one line
     * @param text                 plain-text body without footer
     * @param html                 HTML body fragment (escaped) without footer
     */
    public record Draft(String kind, String about, String listKind, boolean requiresConfirmation, String subject,
            String text, String html) {
    }

    /** {@code false} when this delivery was recorded before. */
    public boolean record(Draft draft, InternetAddress to, UUID eventId) {
        DeliveryKey key = DeliveryKey.of(draft.kind(), draft.about(), to.getAddress());
        String unsubscribe = publicUrl + "/notifications/unsubscribe?token="
                + tokens.sign(LinkTokens.Action.UNSUBSCRIBE, draft.listKind(), key.recipientHash());
        String text = draft.text() + "\n-- \n" + siteName + "\nStop these mails: " + unsubscribe + "\n";
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>" + MailText.escape(draft.subject())
                + "</title></head>\n<body>\n" + draft.html()
                + "<hr>\n<p><small>" + MailText.escape(siteName) + " · <a href=\"" + MailText.escape(unsubscribe)
                + "\">Stop these mails</a></small></p>\n</body></html>\n";
        return outbox.recordMail(key, eventId, new MailPayload(to.getAddress(), key.recipientHash(), draft.listKind(),
                draft.requiresConfirmation(), draft.subject(), text, html, unsubscribe));
    }
}
