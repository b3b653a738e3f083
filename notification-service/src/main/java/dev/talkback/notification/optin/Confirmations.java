package dev.talkback.notification.optin;

import dev.talkback.events.CommentModerated;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.mail.MailOutbox;
import dev.talkback.notification.mail.MailText;
import dev.talkback.notification.subscription.LinkTokens;
import dev.talkback.notification.subscription.Recipients;
import dev.talkback.support.privacy.AddressKeys;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Asks an address to confirm before it gets any mail it asked for in the comment form: anyone can type anyone's
 * address there. The request (delivery kind {@code confirm}) names the site, links to the article on the site and
 * to the confirmation page, and nothing else: no name, text or link the poster wrote, so it cannot carry their
 * message to a stranger. At most one request per address per {@code notification.confirmation.request-interval}
 * (the delivery key holds the window's number, so a second comment in the same window finds it recorded), on top of
 * the per-recipient mail limit. Its "stop these mails" link stops every mail of the site to the address.
 */
@Component
public class Confirmations {

    /** The delivery kind of a confirmation request. */
    static final String KIND = "confirm";
    /** What the request's unsubscribe link stops, and what its confirmation token is for: every kind. */
    static final String ALL = "all";

    private static final Logger log = LoggerFactory.getLogger(Confirmations.class);

    private final Recipients recipients;
    private final MailOutbox outbox;
    private final LinkTokens tokens;
    private final AddressKeys keys;
    private final String siteName;
    private final String publicUrl;
    private final String articleUrl;
    private final Duration requestInterval;
    private final Duration linkValidity;

    Confirmations(
            Recipients recipients,
            MailOutbox outbox,
            LinkTokens tokens,
            AddressKeys keys,
            NotificationProperties properties) {
        this.recipients = recipients;
        this.outbox = outbox;
        this.tokens = tokens;
        this.keys = keys;
        this.siteName = MailText.singleLine(properties.site().name(), 100);
        this.publicUrl = properties.links().publicBaseUrl();
        this.articleUrl = properties.site().articleUrl();
        this.requestInterval = properties.confirmation().requestInterval();
        this.linkValidity = properties.confirmation().linkValidity();
    }

    /**
     * What the address agreed to. When it has not confirmed, did not bounce and did not opt out of {@code kind},
     * a confirmation request is recorded as well (unless one was, in this window).
     *
     * @param event   the decision on the comment whose form asked for mail
     * @param address the author's address
     * @param kind    the kind of mail they asked for ({@code comment-published}, {@code reply}, …)
     */
    public Recipients.State askUnlessConfirmed(CommentModerated event, InternetAddress address, String kind) {
        return askUnlessConfirmed(
                address,
                kind,
                event.occurredAt(),
                event.articleId(),
                event.commentId(),
                event.eventId(),
                "commented on " + siteName + " and asked to be told about it by mail (when the comment is published, "
                        + "or when someone replies)");
    }

    /**
     * The same for any mail someone asked for in a form of the site.
     *
     * @param occurredAt when they asked (the request window it falls in)
     * @param articleId  the article the request links to
     * @param commentId  the comment it is about, for the log
     * @param eventId    the event that carried the request
     * @param asked      what they did, after "someone using this address …", as the request says it
     */
    public Recipients.State askUnlessConfirmed(
            InternetAddress address,
            String kind,
            Instant occurredAt,
            String articleId,
            String commentId,
            UUID eventId,
            String asked) {
        Recipients.State state = recipients.state(address.getAddress());
        if (state.confirmed() || state.bounced() || state.unsubscribedFrom(kind)) {
            return state;
        }
        long window = Math.floorDiv(occurredAt.toEpochMilli(), requestInterval.toMillis());
        String link = publicUrl + "/notifications/confirm?token="
                + tokens.sign(LinkTokens.Action.CONFIRM, ALL, keys.of(address.getAddress()));
        String article = MailText.link(articleUrl, articleId, "");
        String validity = describe(linkValidity);
        String subject = "Confirm your address for mail from " + siteName;
        String text = "Hello,\n\n"
                + "someone using this address " + asked + ". The article:\n" + article + "\n\n"
                + "To confirm that this is your address and that you want these mails, open this link and press the "
                + "button (the link works for " + validity + "):\n" + link + "\n\n"
                + "If it was not you, ignore this mail: " + siteName + " sends nothing else to this address unless "
                + "it is confirmed.\n";
        String html = "<p>Hello,</p>\n<p>someone using this address " + MailText.escape(asked) + ". "
                + "<a href=\"" + MailText.escape(article) + "\">The article</a>.</p>\n"
                + "<p><a href=\"" + MailText.escape(link) + "\">Confirm your address</a> (the link works for "
                + MailText.escape(validity) + ").</p>\n"
                + "<p>If it was not you, ignore this mail: " + MailText.escape(siteName) + " sends nothing else to "
                + "this address unless it is confirmed.</p>\n";
        boolean recorded = outbox.record(
                new MailOutbox.Draft(KIND, "window-" + window, ALL, false, subject, text, html), address, eventId);
        log.info(
                "Comment {}: address not confirmed; confirmation request {}",
                commentId,
                recorded ? "recorded" : "recorded before in this window, not again");
        return state;
    }

    static String describe(Duration duration) {
        if (duration.toDays() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() == 1 ? "1 day" : duration.toDays() + " days";
        }
        long hours = Math.max(1, duration.toHours());
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
