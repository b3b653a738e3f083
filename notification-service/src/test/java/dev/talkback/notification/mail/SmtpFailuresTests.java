package dev.talkback.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;

class SmtpFailuresTests {

    @Test
    void recipientRefusedWith5xxIsABounce() throws Exception {
        var refused = new SMTPAddressFailedException(
                new InternetAddress("gone@example.org"), "RCPT TO", 550, "550 5.1.1 no such user");
        var sendFailed = new jakarta.mail.SendFailedException("Invalid Addresses", refused);
        var failure = new MailSendException("Failed messages", sendFailed);

        assertThat(SmtpFailures.classify(failure)).isEqualTo(SmtpFailures.Kind.BOUNCED);
    }

    @Test
    void recipientRefusedWith4xxIsTransient() throws Exception {
        var busy = new SMTPAddressFailedException(
                new InternetAddress("busy@example.org"), "RCPT TO", 451, "451 try later");
        var failure = new MailSendException(Map.of(new Object(), new MessagingException("send", busy)));

        assertThat(SmtpFailures.classify(failure)).isEqualTo(SmtpFailures.Kind.TRANSIENT);
    }

    @Test
    void messageRefusedWith5xxIsPermanentButNotABounce() {
        var refused = new SMTPSendFailedException("DATA", 554, "554 spam", null, null, null, null);

        assertThat(SmtpFailures.classify(new MailSendException("x", refused))).isEqualTo(SmtpFailures.Kind.PERMANENT);
    }

    @Test
    void noConnectionMeansTheServerIsUnavailable() {
        var failure = new MailSendException(
                "Mail server connection failed",
                new MessagingException("Couldn't connect", new ConnectException("Connection refused")));

        assertThat(SmtpFailures.classify(failure)).isEqualTo(SmtpFailures.Kind.UNAVAILABLE);
    }
}
