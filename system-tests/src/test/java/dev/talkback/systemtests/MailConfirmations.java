package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The double opt-in as a reader goes through it: an address that asked for mail in the form gets a confirmation
 * request first; its link opens a page (a GET confirms nothing: mail scanners open links) whose button POSTs.
 */
final class MailConfirmations {

    static final String SUBJECT_PREFIX = "Confirm your address";
    private static final Pattern CONFIRM_LINK = Pattern.compile("https?://\\S+/notifications/confirm\\?token=\\S+");
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private MailConfirmations() {}

    /** The confirmation requests the address received. */
    static List<MimeMessage> requests(RunningSystem system, String email) {
        return Arrays.stream(system.smtp.getReceivedMessages())
                .filter(message -> to(message, email) && subject(message).startsWith(SUBJECT_PREFIX))
                .toList();
    }

    /** Waits for the address's confirmation request, checks that it quotes nothing of {@code commentText}, confirms. */
    static void confirm(RunningSystem system, String email, String commentText, Duration patience) throws Exception {
        MimeMessage request = await().atMost(patience)
                .until(() -> requests(system, email), found -> !found.isEmpty())
                .get(0);
        // until confirmed, the request is all the address gets
        assertThat(Arrays.stream(system.smtp.getReceivedMessages()).filter(message -> to(message, email)))
                .allMatch(message -> subject(message).startsWith(SUBJECT_PREFIX));
        String text = textOf(request);
        assertThat(text)
                .as("the confirmation request quotes nothing of the comment")
                .doesNotContain(commentText);
        Matcher link = CONFIRM_LINK.matcher(text);
        assertThat(link.find()).as("confirmation link in %s", text).isTrue();
        URI confirm = URI.create(link.group());
        assertThat(confirm.getAuthority()).isEqualTo(system.notificationService.getAuthority());

        HttpResponse<String> page =
                http.send(HttpRequest.newBuilder(confirm).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\"").doesNotContain("Address confirmed");
        HttpResponse<String> confirmed = http.send(
                HttpRequest.newBuilder(confirm)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Address confirmed");
    }

    static boolean to(MimeMessage message, String email) {
        try {
            return Arrays.stream(message.getAllRecipients())
                    .anyMatch(r -> r.toString().equals(email));
        } catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The plain-text part, decoded. */
    static String textOf(MimeMessage message) throws Exception {
        Object content = message.getContent();
        String text = findText(content);
        assertThat(text).as("text part").isNotNull();
        return text;
    }

    private static String findText(Object content) throws Exception {
        if (content instanceof String string) {
            return string;
        }
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    return (String) part.getContent();
                }
                if (part.getContent() instanceof Multipart nested) {
                    String found = findText(nested);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
