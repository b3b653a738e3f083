package dev.talkback.notification.mail;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.DeliveryKey;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends {@link OutgoingMail} over SMTP ({@code spring.mail.*}), on kept-open {@link SmtpConnections}, from {@code notification.mail.from}, with the
 * optional {@code notification.mail.reply-to}. Each message has one recipient in {@code To} and no {@code Cc} or
 * {@code Bcc}; it is marked {@code Auto-Submitted: auto-generated} (RFC 3834) so that auto-responders stay quiet,
 * and carries {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} (RFC 8058) when it has an unsubscribe link.
 *
 * <p>Its {@code Message-ID} is derived from the delivery, not drawn at random: when the connection drops after the
 * server stored a mail but before its {@code 250} reached us, the outbox sends it again, and the copy carries the same
 * {@code Message-ID}, by which mail stores and clients recognise it as the same message (RFC 5322 §3.6.4).
 */
@Component
class Mailer implements AutoCloseable {

    private final SmtpConnections connections;
    private final InternetAddress from;
    private final @Nullable InternetAddress replyTo;
    /** The right-hand side of the Message-IDs: the sender's domain. */
    private final String messageIdDomain;

    @Autowired
    Mailer(JavaMailSenderImpl server, NotificationProperties properties) {
        this(
                new SmtpConnections(server, properties.mail().connectionIdleTimeout()),
                MailAddresses.configured(
                        "notification.mail.from", properties.mail().from()),
                properties.mail().replyToOrNull() == null
                        ? null
                        : MailAddresses.configured(
                                "notification.mail.reply-to", properties.mail().replyToOrNull()));
    }

    Mailer(SmtpConnections connections, InternetAddress from, @Nullable InternetAddress replyTo) {
        this.connections = connections;
        this.from = from;
        this.replyTo = replyTo;
        this.messageIdDomain = from.getAddress().substring(from.getAddress().lastIndexOf('@') + 1);
    }

    /**
     * Hands the mail to the SMTP server.
     *
     * @throws org.springframework.mail.MailException when the server is unreachable or refuses it (retryable)
     * @throws MailPreparationException when the message cannot be built (not retryable)
     */
    void send(OutgoingMail mail) {
        MimeMessage message = connections.createMimeMessage();
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
            // The connections keep a Message-ID set before sending (Jakarta Mail would draw a new one).
            message.setHeader("Message-ID", messageId(mail.deliveryId()));
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
        } catch (MessagingException ex) {
            throw new MailPreparationException("Could not build the mail", ex);
        }
        connections.send(message);
    }

    /** Closes the SMTP connections idle for longer than {@code notification.mail.connection-idle-timeout}. */
    void closeIdleConnections() {
        connections.closeIdle();
    }

    @Override
    public void close() {
        connections.close();
    }

    /** {@code <hash of the delivery@the sender's domain>}: the same for every attempt of one delivery. */
    String messageId(String deliveryId) {
        return "<" + DeliveryKey.sha256(deliveryId).substring(0, 32) + "@" + messageIdDomain + ">";
    }

    /** A header value on one line: every control character becomes a space. */
    static String oneLine(String value) {
        StringBuilder line = new StringBuilder(value.length());
        value.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return line.toString().strip();
    }
}
