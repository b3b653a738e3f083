package dev.talkback.notification.mail;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.MailPayload;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.subscription.LinkTokens;
import dev.talkback.notification.subscription.Recipients;
import dev.talkback.support.privacy.AddressKeys;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Records a mail in the outbox: adds the signed one-click unsubscribe link (in the footer of both parts and in
 * the {@code List-Unsubscribe} header) and stores the rendered mail under its delivery key. A mail to an address
 * that has not confirmed yet can be recorded to wait for the confirmation
 * ({@link #recordAwaitingConfirmation}). Each mail is keyed by its recipient's address key; one recorded under the
 * key of before ({@link DeliveryKey#legacyMail}) counts as recorded, so a change of keys sends nothing twice.
 */
@Component
public class MailOutbox {

    private final Outbox outbox;
    private final LinkTokens tokens;
    private final Recipients recipients;
    private final AddressKeys keys;
    private final String publicUrl;
    private final String siteName;
    private final Duration confirmationValidity;
    private final Clock clock = Clock.systemUTC();

    MailOutbox(
            Outbox outbox,
            LinkTokens tokens,
            Recipients recipients,
            AddressKeys keys,
            NotificationProperties properties) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.recipients = recipients;
        this.keys = keys;
        this.publicUrl = properties.links().publicBaseUrl();
        this.siteName = MailText.singleLine(properties.site().name(), 100);
        this.confirmationValidity = properties.confirmation().linkValidity();
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
    public record Draft(
            String kind,
            String about,
            String listKind,
            boolean requiresConfirmation,
            String subject,
            String text,
            String html) {}

    /** {@code false} when this delivery was recorded before. */
    public boolean record(Draft draft, InternetAddress to, UUID eventId) {
        DeliveryKey key = key(draft, to);
        return !recordedBefore(draft, to) && outbox.recordMail(key, eventId, payload(draft, to, key));
    }

    /** The delivery key of a mail of this kind about a subject to an address. */
    public DeliveryKey key(String kind, String about, InternetAddress to) {
        return DeliveryKey.mail(kind, about, keys.of(to.getAddress()));
    }

    private DeliveryKey key(Draft draft, InternetAddress to) {
        return key(draft.kind(), draft.about(), to);
    }

    private boolean recordedBefore(Draft draft, InternetAddress to) {
        return outbox.exists(DeliveryKey.legacyMail(draft.kind(), draft.about(), to.getAddress()));
    }

    /**
     * Records a mail (that requires confirmation) to wait until the address confirms: the confirmation makes it
     * due; without one it is cancelled once the confirmation link has expired. {@code false} when this delivery
     * was recorded before.
     */
    public boolean recordAwaitingConfirmation(Draft draft, InternetAddress to, UUID eventId) {
        if (!draft.requiresConfirmation()) {
            throw new IllegalArgumentException("only a mail that requires confirmation waits for it");
        }
        DeliveryKey key = key(draft, to);
        boolean recorded = !recordedBefore(draft, to)
                && outbox.recordMailAwaitingConfirmation(
                        key, eventId, payload(draft, to, key), clock.instant().plus(confirmationValidity));
        // confirmed between the caller's look and this record: release it, or it would wait for nothing
        if (recorded && recipients.state(to.getAddress()).confirmed()) {
            outbox.releaseAwaitingConfirmationNow(key.recipientHash());
        }
        return recorded;
    }

    private MailPayload payload(Draft draft, InternetAddress to, DeliveryKey key) {
        String unsubscribe = publicUrl + "/notifications/unsubscribe?token="
                + tokens.sign(LinkTokens.Action.UNSUBSCRIBE, draft.listKind(), key.recipientHash());
        String text = draft.text() + "\n-- \n" + siteName + "\nStop these mails: " + unsubscribe + "\n";
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>" + MailText.escape(draft.subject())
                + "</title></head>\n<body>\n" + draft.html()
                + "<hr>\n<p><small>" + MailText.escape(siteName) + " · <a href=\"" + MailText.escape(unsubscribe)
                + "\">Stop these mails</a></small></p>\n</body></html>\n";
        return new MailPayload(
                to.getAddress(),
                key.recipientHash(),
                draft.listKind(),
                draft.requiresConfirmation(),
                draft.subject(),
                text,
                html,
                unsubscribe);
    }
}
