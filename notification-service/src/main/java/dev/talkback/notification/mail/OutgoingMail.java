package dev.talkback.notification.mail;

import jakarta.mail.internet.InternetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A mail to exactly one recipient, with a plain-text and an HTML body. Build the recipient with
 * {@link MailAddresses#recipient(String)}; the HTML must already be escaped.
 *
 * @param to      the only recipient
 * @param subject one line; control characters are removed when sending
 * @param text    the plain-text body
 * @param html    the HTML body
 * @param unsubscribeUrl the signed one-click unsubscribe link, for {@code List-Unsubscribe}, or {@code null}
 * @param deliveryId the delivery this mail is an attempt of (its {@code Message-ID} is derived from it)
 */
record OutgoingMail(
        InternetAddress to,
        String subject,
        String text,
        String html,
        @Nullable String unsubscribeUrl,
        String deliveryId) {

    OutgoingMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(deliveryId, "deliveryId");
    }

    @Override
    public String toString() {
        return "OutgoingMail[subject=" + subject + "]";
    }
}
