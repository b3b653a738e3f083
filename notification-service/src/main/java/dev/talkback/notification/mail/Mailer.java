package dev.talkback.notification.mail;

import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import dev.talkback.notification.NotificationProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends {@link OutgoingMail} over SMTP ({@code spring.mail.*}) from {@code notification.mail-from}, with the
 * optional {@code notification.reply-to}. Each message has one recipient in {@code To} and no {@code Cc} or
 * {@code Bcc}; it is marked {@code Auto-Submitted: auto-generated} (RFC 3834) so that auto-responders stay quiet,
 * and carries {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} (RFC 8058) when it has an unsubscribe link.
 */
@Component
public class Mailer {

    private final JavaMailSender sender;
    private final InternetAddress from;
    private final @Nullable InternetAddress replyTo;

    Mailer(JavaMailSender sender, NotificationProperties properties) {
        this.sender = sender;
        this.from = MailAddresses.configured("notification.mail-from", properties.mailFrom());
        String replyTo = properties.replyToOrNull();
        this.replyTo = replyTo == null ? null : MailAddresses.configured("notification.reply-to", replyTo);
    }

    /**
     * Hands the mail to the SMTP server.
     *
     * @throws org.springframework.mail.MailException when the server is unreachable or refuses it (retryable)
     * @throws MailPreparationException when the message cannot be built (not retryable)
     */
    public void send(OutgoingMail mail) {
        MimeMessage message = sender.createMimeMessage();
        try {
            var helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            if (replyTo != null) {
                helper.setReplyTo(replyTo);
            }
            helper.setTo(mail.to());
            helper.setSubject(oneLine(mail.subject()));
            helper.setText(mail.text(), mail.html());
            message.setHeader("Auto-Submitted", "auto-generated");
            String unsubscribe = mail.unsubscribeUrl();
            if (unsubscribe != null) {
                // RFC 2369 + RFC 8058 one-click. The URL is built by us from base64url tokens; a URL with anything
                // that could end the header is refused rather than sent.
                if (!unsubscribe.matches("https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+")) {
                    throw new MailPreparationException("Unsafe List-Unsubscribe URL");
                }
                message.setHeader("List-Unsubscribe", "<" + unsubscribe + ">");
                message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
        }
        catch (MessagingException ex) {
            throw new MailPreparationException("Could not build the mail", ex);
        }
        sender.send(message);
    }

    /** A header value on one line: every control character becomes a space. */
    static String oneLine(String value) {
        StringBuilder line = new StringBuilder(value.length());
        value.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return line.toString().strip();
    }
}
