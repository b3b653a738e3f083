package dev.talkback.notification.privacy;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.mail.MailOutbox;
import dev.talkback.notification.mail.MailText;
import dev.talkback.notification.subscription.LinkTokens;
import dev.talkback.notification.subscription.Recipients;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The mail with a privacy link, sent to whoever's address is typed into the request form: so it says that someone,
 * maybe the owner, asked; what the link allows; and that ignoring it is safe. It quotes nothing the requester wrote.
 * It is transactional (no double opt-in: the link is the confirmation) but at most one per address per
 * {@code notification.privacy.mail-interval}, whoever asks: its delivery key holds the number of the interval's
 * window, so a second request in the window finds it recorded, and one recorded in the previous window less than an
 * interval ago counts too. It goes through the outbox like every mail (bounces, the per-recipient limit, and
 * "stop these mails", which stops only these: see {@link Recipients#PRIVACY_KIND}).
 */
@Component
class PrivacyMails {

    static final String KIND = Recipients.PRIVACY_KIND;

    private final MailOutbox mails;
    private final Outbox outbox;
    private final LinkTokens tokens;
    private final String siteName;
    private final String publicUrl;
    private final Duration interval;
    private final Duration linkValidity;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    PrivacyMails(MailOutbox mails, Outbox outbox, LinkTokens tokens, NotificationProperties properties) {
        this.mails = mails;
        this.outbox = outbox;
        this.tokens = tokens;
        this.siteName = MailText.singleLine(properties.site().name(), 100);
        this.publicUrl = properties.links().publicBaseUrl();
        this.interval = properties.privacy().mailInterval();
        this.linkValidity = properties.privacy().linkValidity();
        this.timeout = properties.timeouts().store();
    }

    /** Records a privacy mail to the address unless one was within the interval; whether it did. Blocking. */
    boolean request(InternetAddress address) {
        Instant now = clock.instant();
        long window = Math.floorDiv(now.toEpochMilli(), interval.toMillis());
        OutboxEntry previous =
                outbox.find(mails.key(KIND, about(window - 1), address).id()).block(timeout);
        if (previous != null && previous.createdAt().isAfter(now.minus(interval))) {
            return false;
        }
        String link = publicUrl + "/privacy?token=" + tokens.signPrivacy(address.getAddress());
        String validity = describe(linkValidity);
        String subject = "Your data on " + siteName + ": a link to see or erase it";
        String text = "Hello,\n\n"
                + "someone, maybe you, asked " + siteName + " for a link to the data it holds about this address "
                + "(comments written with it, mail subscriptions, mails sent to it).\n\n"
                + "This link opens a page where you can download a copy of that data, or have it erased. Nothing "
                + "happens until you press a button there. The link works for " + validity + ":\n" + link + "\n\n"
                + "If you did not ask, you can ignore this mail: nothing changes, and " + siteName
                + " sends at most one such mail every " + describe(interval) + ".\n";
        String html = "<p>Hello,</p>\n<p>someone, maybe you, asked " + MailText.escape(siteName)
                + " for a link to the data it holds about this address (comments written with it, mail "
                + "subscriptions, mails sent to it).</p>\n"
                + "<p><a href=\"" + MailText.escape(link) + "\">This link</a> opens a page where you can download a "
                + "copy of that data, or have it erased. Nothing happens until you press a button there. The link "
                + "works for " + MailText.escape(validity) + ".</p>\n"
                + "<p>If you did not ask, you can ignore this mail: nothing changes, and " + MailText.escape(siteName)
                + " sends at most one such mail every " + MailText.escape(describe(interval)) + ".</p>\n";
        return mails.record(
                new MailOutbox.Draft(KIND, about(window), KIND, false, subject, text, html),
                address,
                UUID.randomUUID());
    }

    private static String about(long window) {
        return "window-" + window;
    }

    static String describe(Duration duration) {
        long hours = Math.max(1, duration.toHours());
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
