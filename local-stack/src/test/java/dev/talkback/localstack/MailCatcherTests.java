package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MailCatcherTests {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private MailCatcher mail;

    @BeforeEach
    void start() throws Exception {
        mail = MailCatcher.start("localhost", TestSupport.freePort(), 0);
    }

    @AfterEach
    void stop() {
        mail.close();
    }

    @Test
    void listsAMailSentOverSmtpAsJson() throws Exception {
        GreenMailUtil.sendTextEmail(
                "ada@example.org",
                "talkback@example.org",
                "Your comment is published",
                "Thanks \"Ada\"!\nSee it at http://localhost:8080/a/1",
                smtp());

        JsonNode messages = awaitMessages(1);

        JsonNode message = messages.get(0);
        assertThat(message.get("from").asString()).isEqualTo("talkback@example.org");
        assertThat(message.get("to").get(0).asString()).isEqualTo("ada@example.org");
        assertThat(message.get("subject").asString()).isEqualTo("Your comment is published");
        assertThat(message.get("body").asString()).contains("Thanks \"Ada\"!\nSee it at http://localhost:8080/a/1");
        assertThat(message.get("receivedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void answersTheTextPartOfAMultipartMail() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "localhost");
        properties.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("talkback@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("grace@example.org"));
        message.setSubject("Reply to your comment");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("plain words", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>html words</p>", "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", text, html));
        Transport.send(message);

        JsonNode received = awaitMessages(1).get(0);

        assertThat(received.get("body").asString()).isEqualTo("plain words");
        assertThat(received.get("html").asString()).isEqualTo("<p>html words</p>");
        assertThat(received.get("to").get(0).asString()).isEqualTo("grace@example.org");
    }

    @Test
    void keepsOnlyTheNewestMails() throws Exception {
        for (int i = 1; i <= 5; i++) {
            GreenMailUtil.sendTextEmail(
                    "reader-" + i + "@example.org", "talkback@example.org", "mail " + i, "body", smtp());
            awaitMessages(i);
            long received = System.currentTimeMillis();
            await().until(() -> System.currentTimeMillis() > received); // distinct received dates, to the millisecond
        }

        mail.trim(2);

        JsonNode kept = getMessages();
        assertThat(kept).hasSize(2);
        assertThat(kept.get(0).get("subject").asString()).isEqualTo("mail 4");
        assertThat(kept.get(1).get("subject").asString()).isEqualTo("mail 5");
        // a reader whose mails were all forgotten can receive again
        GreenMailUtil.sendTextEmail("reader-1@example.org", "talkback@example.org", "mail 6", "body", smtp());
        awaitMessages(3);
    }

    @Test
    void deleteForgetsAllMails() throws Exception {
        GreenMailUtil.sendTextEmail("ada@example.org", "talkback@example.org", "one", "body", smtp());
        awaitMessages(1);

        HttpResponse<String> deleted =
                http.send(HttpRequest.newBuilder(messagesUri()).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(getMessages()).isEmpty();
    }

    @Test
    void refusesOtherMethods() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(messagesUri())
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    private ServerSetup smtp() {
        return new ServerSetup(mail.smtpPort(), "localhost", ServerSetup.PROTOCOL_SMTP);
    }

    private URI messagesUri() {
        return URI.create("http://localhost:" + mail.httpPort() + "/api/messages");
    }

    private JsonNode getMessages() throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(messagesUri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return json.readTree(response.body());
    }

    private JsonNode awaitMessages(int count) {
        return await().atMost(Duration.ofSeconds(10)).until(this::getMessages, messages -> messages.size() == count);
    }
}
