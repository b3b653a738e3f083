package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A reader without an account owns their data: from their address alone they get a link by mail, download everything
 * the three services hold about the address, then erase it. Afterwards their comment is an authorless "[deleted]" entry
 * that keeps its place in the thread, and no collection of any service's database holds the address, the name or the
 * text any more.
 */
class PersonalDataSystemTests {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern PRIVACY_LINK = Pattern.compile("https?://\\S+/privacy\\?token=[A-Za-z0-9._~%-]+");

    private static RunningSystem system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startTheSystem() {
        system = RunningSystem.get();
    }

    @Test
    void aReaderDownloadsAndThenErasesEverythingHeldAboutTheirAddress() throws Exception {
        String article = "privacy-" + UUID.randomUUID();
        String email = "owner-" + UUID.randomUUID() + "@example.org";
        String name = "Erin " + UUID.randomUUID().toString().substring(0, 8);
        String text = "A remark about the harbour plans, to be erased later. " + UUID.randomUUID();
        // a published comment whose author asked for mail about replies and publication, and confirmed the address
        JsonNode accepted = post(
                system.commentService.resolve("/api/articles/" + article + "/comments"),
                Map.of("name", name, "email", email, "text", text, "notifyReplies", true, "notifyPublished", true));
        String id = accepted.get("id").asString();
        await().atMost(WAIT).until(() -> findComment(article, id) != null);
        MailConfirmations.confirm(system, email, text, WAIT);
        // and a notice of illegal content filed by the same address on another reader's comment
        JsonNode other = post(
                system.commentService.resolve("/api/articles/" + article + "/comments"),
                Map.of(
                        "name",
                        "Someone Else",
                        "email",
                        "else-" + UUID.randomUUID() + "@example.org",
                        "text",
                        "Another view on the harbour. " + UUID.randomUUID()));
        String otherId = other.get("id").asString();
        await().atMost(WAIT).until(() -> findComment(article, otherId) != null);
        String explanation = "It names a private person's address. " + UUID.randomUUID();
        HttpResponse<String> noticed =
                send(HttpRequest.newBuilder(system.commentService.resolve("/api/comments/" + otherId + "/reports"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of(
                                "reason",
                                "illegal-content",
                                "explanation",
                                explanation,
                                "name",
                                name,
                                "email",
                                email,
                                "goodFaith",
                                true)))));
        assertThat(noticed.statusCode()).as(noticed.body()).isEqualTo(202);

        // the link comes by mail, to the address only
        HttpResponse<String> asked =
                send(HttpRequest.newBuilder(system.notificationService.resolve("/api/privacy/requests"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("email", email)))));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        MimeMessage mail = await().atMost(WAIT)
                .until(() -> privacyMails(email), found -> !found.isEmpty())
                .get(0);
        Matcher link = PRIVACY_LINK.matcher(MailConfirmations.textOf(mail));
        assertThat(link.find()).as("privacy link in the mail").isTrue();
        URI page = URI.create(link.group());
        String token = page.getQuery().substring("token=".length());

        // the page acts on nothing by itself (mail scanners open links)
        HttpResponse<String> shown = send(HttpRequest.newBuilder(page).GET());
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("<form method=\"post\"");

        // download: everything the services hold about the address
        HttpResponse<String> started =
                send(HttpRequest.newBuilder(system.notificationService.resolve("/privacy/export?token=" + token))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        URI progress = system.notificationService.resolve(
                started.headers().firstValue("Location").orElseThrow());
        URI download = URI.create(progress.toString().replaceFirst("\\?token=", ".json?token="));
        JsonNode export = await().atMost(WAIT)
                .until(
                        () -> {
                            HttpResponse<String> answer =
                                    send(HttpRequest.newBuilder(download).GET());
                            return answer.statusCode() == 200 ? json.readTree(answer.body()) : null;
                        },
                        found -> found != null && found.get("complete").asBoolean());
        String exported = export.toString();
        assertThat(exported).contains(email, text, explanation);
        assertThat(export.get("moderation-service").toString()).contains(id, text);
        assertThat(export.get("notification-service").toString()).contains(id);

        // erase: only with the box ticked that says the reader understands
        URI erasure = system.notificationService.resolve("/privacy/erasure?token=" + token);
        HttpResponse<String> unticked = send(HttpRequest.newBuilder(erasure)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(unticked.statusCode()).as(unticked.body()).isEqualTo(400);
        assertThat(findComment(article, id).get("text").asString()).isEqualTo(text);
        HttpResponse<String> erased = send(HttpRequest.newBuilder(erasure)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes")));
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(202);

        // the comment keeps its place in the thread, authorless and without its text
        JsonNode deleted = await().atMost(WAIT)
                .until(
                        () -> findComment(article, id),
                        found -> found != null && found.get("text").asString().isEmpty());
        assertThat(deleted.get("name").asString()).isEqualTo("[deleted]");
        assertThat(deleted.get("website").isNull()).isTrue();
        // and nothing of the address remains in any service's database (the notice itself stays, without who sent
        // it: moderators may still have to act on it)
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(storedMentions(email, name, text)).isEmpty());
    }

    /** Every document of every database of the store that mentions one of the values (case-insensitive). */
    private static List<String> storedMentions(String... values) {
        List<String> found = new ArrayList<>();
        try (MongoClient client = MongoClients.create("mongodb://" + system.mongoAddress)) {
            for (String database : client.listDatabaseNames()) {
                for (String collection : client.getDatabase(database).listCollectionNames()) {
                    for (Document document : client.getDatabase(database)
                            .getCollection(collection)
                            .find()) {
                        String stored = document.toJson().toLowerCase(Locale.ROOT);
                        for (String value : values) {
                            if (stored.contains(value.toLowerCase(Locale.ROOT))) {
                                found.add(database + "." + collection + " " + document.get("_id") + " holds " + value);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    private List<MimeMessage> privacyMails(String email) {
        return Arrays.stream(system.smtp.getReceivedMessages())
                .filter(m -> MailConfirmations.to(m, email))
                .filter(m -> {
                    try {
                        return PRIVACY_LINK.matcher(MailConfirmations.textOf(m)).find();
                    } catch (Exception ex) {
                        return false;
                    }
                })
                .toList();
    }

    private JsonNode post(URI uri, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        assertThat(response.statusCode())
                .as("POST %s: %s", uri, response.body())
                .isEqualTo(202);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode findComment(String article, String id) throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(system.commentService.resolve(
                "/api/articles/" + URLEncoder.encode(article, StandardCharsets.UTF_8) + "/comments?limit=100")));
        for (JsonNode comment : json.readTree(page.body()).get("comments")) {
            if (comment.get("id").asString().equals(id)) {
                return comment;
            }
        }
        return null;
    }
}
