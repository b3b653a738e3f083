package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.support.security.LocalTokens;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A moderator's decision through the running services: taken on moderation-service's secured API, it reaches
 * comment-service's read model (an approved held comment appears, a rejected published one disappears) and
 * notification-service (the author of an approved comment is mailed). A comment held for abuse tells its author,
 * on the status page, what to change.
 */
class ModeratorDecisionSystemTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RunningSystem system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startTheSystem() {
        system = RunningSystem.get();
    }

    @Test
    void approvingAHeldCommentPublishesItAndMailsItsAuthor() throws Exception {
        String article = "article-" + UUID.randomUUID();
        String email = "held-" + UUID.randomUUID() + "@example.org";
        StringBuilder text = new StringBuilder("Sources:");
        for (int i = 0; i <= RunningSystem.MAX_LINKS; i++) {
            text.append(" https://source").append(i).append(".example.org");
        }
        JsonNode accepted = postComment(
                article,
                Map.of(
                        "name",
                        "Held Author",
                        "email",
                        email,
                        "text",
                        text.toString(),
                        "notifyReplies",
                        false,
                        "notifyPublished",
                        true));
        String id = accepted.get("id").asString();
        await().atMost(WAIT)
                .until(
                        () -> moderation(id),
                        found -> found != null
                                && found.get("decision")
                                        .get("outcome")
                                        .asString()
                                        .equals("HELD"));
        assertThat(findComment(article, id)).isNull();

        HttpResponse<String> decided = decide(id, "APPROVE", "Sources are fine", token("mia", "MODERATOR"));

        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(json.readTree(decided.body()).get("decision").get("revision").asInt())
                .isEqualTo(2);
        JsonNode shown = await().atMost(WAIT).until(() -> findComment(article, id), found -> found != null);
        assertThat(shown.get("name").asString()).isEqualTo("Held Author");
        JsonNode status =
                get(URI.create(system.commentService + accepted.get("statusUrl").asString()));
        assertThat(status.get("status").asString()).isEqualTo("PUBLISHED");
        // a new address: the confirmation request, then the "published" mail that waited for it
        MailConfirmations.confirm(system, email, "Sources:", WAIT);
        MimeMessage mail = await().atMost(WAIT).until(() -> mailTo(email), mails -> mails.size() == 2).stream()
                .filter(m -> !MailConfirmations.subject(m).startsWith(MailConfirmations.SUBJECT_PREFIX))
                .findFirst()
                .orElseThrow();
        assertThat(mail.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly(email);
        assertThat(mail.getSubject()).endsWith("is published");
    }

    @Test
    void rejectingAPublishedCommentTakesItDown() throws Exception {
        String article = "article-" + UUID.randomUUID();
        JsonNode accepted = postComment(
                article,
                Map.of("name", "Soon Gone", "email", "gone@example.org", "text", "Published, then reconsidered."));
        String id = accepted.get("id").asString();
        await().atMost(WAIT).until(() -> findComment(article, id) != null);

        HttpResponse<String> decided = decide(id, "REJECT", "Personal attack", token("max", "MODERATOR"));

        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> findComment(article, id) == null);
        JsonNode status =
                get(URI.create(system.commentService + accepted.get("statusUrl").asString()));
        assertThat(status.get("status").asString()).isEqualTo("REJECTED");
    }

    @Test
    void anAbusiveCommentIsHeldAndItsAuthorToldWhatToChangeThenAModeratorRejectsItAsAnInsult() throws Exception {
        String article = "article-" + UUID.randomUUID();
        JsonNode accepted = postComment(
                article,
                Map.of(
                        "name",
                        "Angry Reader",
                        "email",
                        "angry@example.org",
                        "text",
                        "You are a stupid idiot, go to hell you moron " + UUID.randomUUID()));
        String id = accepted.get("id").asString();
        JsonNode held = await().atMost(WAIT)
                .until(
                        () -> moderation(id),
                        found -> found != null
                                && found.get("decision")
                                        .get("outcome")
                                        .asString()
                                        .equals("HELD"));
        // the moderator sees why: the rule, the scores per category and the words
        assertThat(held.get("decision").get("reasons").findValuesAsString("ruleId"))
                .contains("abuse.insult");
        assertThat(held.get("decision").get("scores").get("abuse.insult").asDouble())
                .isGreaterThanOrEqualTo(0.5);
        assertThat(held.get("decision").get("evidence").get("abuse.insult").isArray())
                .isTrue();
        // the author, on the status page, what to change
        URI statusUrl =
                URI.create(system.commentService + accepted.get("statusUrl").asString());
        JsonNode status = await().atMost(WAIT)
                .until(
                        () -> get(statusUrl),
                        s -> s.get("reason") != null && !s.get("reason").isNull());
        assertThat(status.get("status").asString()).isEqualTo("PENDING");
        assertThat(status.get("reason").asString()).startsWith("Please").contains("not the person");

        HttpResponse<String> decided = decide(
                id,
                Map.of("action", "ABUSE", "category", "insult", "reason", "Name-calling"),
                token("mia", "MODERATOR"));

        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(json.readTree(decided.body()).get("label").asString()).isEqualTo("ABUSE");
        JsonNode rejected = await().atMost(WAIT)
                .until(() -> get(statusUrl), s -> s.get("status").asString().equals("REJECTED"));
        assertThat(rejected.get("reason").asString()).endsWith("it contains an insult.");
    }

    @Test
    void theModeratorApiRefusesCallersWithoutAModeratorToken() throws Exception {
        String id = "any-id";
        assertThat(decide(id, "APPROVE", "x", null).statusCode()).isEqualTo(401);
        assertThat(decide(id, "APPROVE", "x", token("reader", "READER")).statusCode())
                .isEqualTo(403);
        assertThat(decide(id, "APPROVE", "x", token("mia", "MODERATOR") + "x").statusCode())
                .isEqualTo(401);
    }

    private HttpResponse<String> decide(String id, String action, String reason, String bearer) throws Exception {
        return decide(id, Map.of("action", action, "reason", reason), bearer);
    }

    private HttpResponse<String> decide(String id, Map<String, String> body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        system.moderationService.resolve("/api/moderation/comments/" + id + "/decision"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode moderation(String id) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(system.moderationService.resolve("/api/moderation/comments/" + id))
                        .header("Authorization", "Bearer " + token("mia", "MODERATOR"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? json.readTree(response.body()) : null;
    }

    /** A token signed with the key RunningSystem gives moderation-service, as the local stack mints them. */
    static String token(String subject, String role) {
        Instant now = Instant.now();
        return LocalTokens.forModeration(RunningSystem.MODERATOR_SIGNING_KEY)
                .token(subject, List.of(role), now, now.plus(Duration.ofMinutes(10)));
    }

    private JsonNode postComment(String article, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(system.commentService.resolve("/api/articles/" + article + "/comments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST answer: %s", response.body()).isEqualTo(202);
        return json.readTree(response.body());
    }

    private JsonNode get(URI uri) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s answer: %s", uri, response.body())
                .isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode findComment(String article, String id) throws Exception {
        for (JsonNode comment : get(system.commentService.resolve("/api/articles/" + article + "/comments?limit=100"))
                .get("comments")) {
            if (comment.get("id").asString().equals(id)) {
                return comment;
            }
        }
        return null;
    }

    private List<MimeMessage> mailTo(String address) {
        return Arrays.stream(system.smtp.getReceivedMessages())
                .filter(message -> {
                    try {
                        return Arrays.stream(message.getAllRecipients())
                                .anyMatch(r -> r.toString().equals(address));
                    } catch (MessagingException ex) {
                        throw new IllegalStateException(ex);
                    }
                })
                .toList();
    }
}
