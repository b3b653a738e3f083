package dev.talkback.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** The mailer against a real SMTP server (GreenMail). */
class MailerTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void everyAttemptOfOneDeliveryCarriesTheSameMessageIdAndOtherDeliveriesAnother() throws Exception {
        var mailer = new Mailer(
                new SmtpConnections(sender(), Duration.ofSeconds(30)),
                address("Daily Example <comments@news.example>"),
                null);
        var reader = address("reader@example.org");
        var mail = new OutgoingMail(reader, "Published", "text", "<p>html</p>", null, "comment-published:c-1:mail:ab");
        var other = new OutgoingMail(reader, "Published", "text", "<p>html</p>", null, "comment-published:c-2:mail:ab");

        mailer.send(mail);
        mailer.send(mail); // as the outbox does when the server's 250 was lost
        mailer.send(other);

        String[] ids = Arrays.stream(smtp.getReceivedMessages())
                .map(MailerTests::messageId)
                .toArray(String[]::new);
        assertThat(ids).hasSize(3);
        assertThat(ids[0])
                .matches("<[0-9a-f]{32}@news\\.example>")
                .isEqualTo(ids[1])
                .isNotEqualTo(ids[2]);
        assertThat(ids[2]).matches("<[0-9a-f]{32}@news\\.example>");
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static JavaMailSenderImpl sender() {
        var sender = new JavaMailSenderImpl();
        sender.setHost(smtp.getSmtp().getBindTo());
        sender.setPort(smtp.getSmtp().getPort());
        return sender;
    }

    private static InternetAddress address(String text) {
        return MailAddresses.configured("test", text);
    }
}
