package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.talkback.events.Topics;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A comment's whole life through the three running services: posted, moderated, published, shown, mailed — or
 * rejected and never shown, never mailed.
 */
class CommentLifecycleSystemTests {

    private static final Duration MODERATION = Duration.ofSeconds(60);

    private static RunningSystem system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startTheSystem() {
        system = RunningSystem.get();
    }

    @Test
    void anApprovedCommentIsPublishedShownAndItsAuthorEmailedOnceTheyConfirmed() throws Exception {
        String article = newArticle();
        String email = "ada-" + UUID.randomUUID() + "@example.org";

        JsonNode accepted = post(
                article,
                Map.of(
                        "name",
                        "Ada Reader",
                        "email",
                        email,
                        "website",
                        "https://ada.example.org",
                        "text",
                        "A thaw would be welcome.\nLet's hope.",
                        "notifyReplies",
                        true,
                        "notifyPublished",
                        true),
                202);
        String id = accepted.get("id").asString();
        assertThat(accepted.get("status").asString()).isEqualTo("PENDING");
        assertThat(accepted.get("statusToken").asString()).isNotBlank();

        JsonNode shown = await().atMost(MODERATION).until(() -> findComment(article, id), found -> found != null);
        assertThat(shown.get("name").asString()).isEqualTo("Ada Reader");
        assertThat(shown.get("website").asString()).isEqualTo("https://ada.example.org");
        assertThat(shown.get("text").asString()).isEqualTo("A thaw would be welcome.\nLet's hope.");
        assertThat(shown.get("publishedAt").isNull()).isFalse();
        assertThat(getBody(system.commentService.resolve("/api/articles/" + article + "/comments")))
                .doesNotContain(email);

        JsonNode status =
                get(URI.create(system.commentService + accepted.get("statusUrl").asString()), 200);
        assertThat(status.get("status").asString()).isEqualTo("PUBLISHED");

        // the address is new: first (and, until confirmed, only) a confirmation request, one for both kinds asked
        MailConfirmations.confirm(system, email, "A thaw would be welcome", MODERATION);
        // the "published" mail waited for the confirmation
        MimeMessage mail = await().atMost(MODERATION).until(() -> mailTo(email), mails -> mails.size() == 2).stream()
                .filter(m -> !MailConfirmations.subject(m).startsWith(MailConfirmations.SUBJECT_PREFIX))
                .findFirst()
                .orElseThrow();
        assertThat(mail.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly(email);
        assertThat(mail.getSubject()).endsWith("is published");
        assertThat(GreenMailUtil.getBody(mail)).contains("http://news.example/articles/" + article + "#comment-" + id);
        assertThat(serviceLogs()).doesNotContain(email);
    }

    @Test
    void anAuthorWhoDidNotAskIsNotEmailed() throws Exception {
        String article = newArticle();
        String email = "quiet-" + UUID.randomUUID() + "@example.org";
        String id = post(article, Map.of("name", "Quiet", "email", email, "text", "No mail for me."), 202)
                .get("id")
                .asString();
        await().atMost(MODERATION).until(() -> findComment(article, id), found -> found != null);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> mailTo(email).isEmpty());
    }

    @Test
    void aRedeliveredSubmissionChangesNothingAndSendsNoSecondMail() throws Exception {
        String article = newArticle();
        String email = "once-" + UUID.randomUUID() + "@example.org";
        String id = post(
                        article,
                        Map.of("name", "Once", "email", email, "text", "Only once, please.", "notifyPublished", true),
                        202)
                .get("id")
                .asString();
        MailConfirmations.confirm(system, email, "Only once", MODERATION);
        // the confirmation request, then the "published" mail
        await().atMost(MODERATION).until(() -> mailTo(email).size() == 2);

        ConsumerRecord<String, String> submitted = records(Topics.COMMENTS_SUBMITTED).stream()
                .filter(record -> id.equals(record.key()))
                .findFirst()
                .orElseThrow();
        produceAgain(submitted);

        List<JsonNode> decisions = await().atMost(MODERATION).until(() -> decisionsOf(id), found -> found.size() >= 2);
        assertThat(decisions)
                .extracting(decision -> decision.get("eventId").asString())
                .containsOnly(decisions.get(0).get("eventId").asString());
        assertThat(decisions)
                .extracting(decision -> decision.get("outcome").asString())
                .containsOnly("APPROVED");
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> mailTo(email).size() == 2);
        JsonNode page = get(system.commentService.resolve("/api/articles/" + article + "/comments"), 200);
        assertThat(page.get("comments")).hasSize(1);
    }

    @Test
    void aRejectedCommentIsNeverShownAndNobodyIsEmailed() throws Exception {
        String article = newArticle();
        String email = "spammer-" + UUID.randomUUID() + "@example.org";

        // asking for mail does not change it: rejections are not mailed by default
        // (notification.mail.notify-rejections)
        JsonNode accepted = post(
                article,
                Map.of(
                        "name",
                        "Spammer",
                        "email",
                        email,
                        "text",
                        "Best " + RunningSystem.BANNED_WORD.toUpperCase() + " bonus today",
                        "notifyPublished",
                        true),
                202);
        URI statusUrl =
                URI.create(system.commentService + accepted.get("statusUrl").asString());

        JsonNode status = await().atMost(MODERATION)
                .until(
                        () -> get(statusUrl, 200),
                        s -> !s.get("status").asString().equals("PENDING"));
        assertThat(status.get("status").asString()).isEqualTo("REJECTED");
        assertThat(status.get("reason").asString()).isNotBlank();
        assertThat(findComment(article, accepted.get("id").asString())).isNull();
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> mailTo(email).isEmpty());
    }

    @Test
    void aCommentWithTooManyLinksIsHeldAndNotShown() throws Exception {
        String article = newArticle();
        StringBuilder text = new StringBuilder("Sources:");
        for (int i = 0; i <= RunningSystem.MAX_LINKS; i++) {
            text.append(" https://source").append(i).append(".example.org");
        }
        JsonNode accepted =
                post(article, Map.of("name", "Linker", "email", "linker@example.org", "text", text.toString()), 202);
        String id = accepted.get("id").asString();

        String decision = await()
                .atMost(MODERATION)
                .until(
                        () -> recordValues(Topics.COMMENTS_MODERATED),
                        values -> values.stream().anyMatch(value -> value.contains(id)))
                .stream()
                .filter(value -> value.contains(id))
                .findFirst()
                .orElseThrow();
        assertThat(json.readTree(decision).get("outcome").asString()).isEqualTo("HELD");
        JsonNode status =
                get(URI.create(system.commentService + accepted.get("statusUrl").asString()), 200);
        assertThat(status.get("status").asString()).isEqualTo("PENDING");
        assertThat(findComment(article, id)).isNull();
    }

    @Test
    void aReplyIsShownUnderItsParent() throws Exception {
        String article = newArticle();
        String parent = post(article, Map.of("name", "Ada", "email", "ada@example.org", "text", "First!"), 202)
                .get("id")
                .asString();
        await().atMost(MODERATION).until(() -> findComment(article, parent) != null);

        String reply = post(
                        article,
                        Map.of("name", "Grace", "email", "grace@example.org", "text", "Agreed.", "parentId", parent),
                        202)
                .get("id")
                .asString();

        JsonNode shownParent = await().atMost(MODERATION)
                .until(
                        () -> findComment(article, parent),
                        found -> found.get("replies").size() == 1);
        JsonNode shownReply = shownParent.get("replies").get(0);
        assertThat(shownReply.get("id").asString()).isEqualTo(reply);
        assertThat(shownReply.get("parentId").asString()).isEqualTo(parent);
    }

    @Test
    void invalidInputIsRefusedWithTheFieldNamedAndNothingIsPublished() throws Exception {
        String article = newArticle();
        String marker = "never-published-" + UUID.randomUUID();

        JsonNode problem = post(article, Map.of("name", marker, "email", "not-an-address", "text", ""), 422);
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asString()));
        assertThat(fields).contains("email", "text");

        // A valid comment posted after the invalid one: once it is on the topic, the invalid one would be too.
        String witness = post(article, Map.of("name", "Witness", "email", "w@example.org", "text", "ok"), 202)
                .get("id")
                .asString();
        List<String> submitted = await().atMost(MODERATION)
                .until(
                        () -> recordValues(Topics.COMMENTS_SUBMITTED),
                        values -> values.stream().anyMatch(value -> value.contains(witness)));
        assertThat(submitted).noneMatch(value -> value.contains(marker));
    }

    private List<JsonNode> decisionsOf(String id) {
        return records(Topics.COMMENTS_MODERATED).stream()
                .filter(record -> id.equals(record.key()))
                .map(record -> json.readTree(record.value()))
                .toList();
    }

    private void produceAgain(ConsumerRecord<String, String> record) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.getBrokersAsString());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers()))
                    .get();
        }
    }

    private static String serviceLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.list(Path.of(System.getProperty("system-tests.logs")))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                logs.append(Files.readString(file));
            }
        }
        return logs.toString();
    }

    private List<String> recordValues(String topic) {
        return records(topic).stream().map(ConsumerRecord::value).toList();
    }

    /** Everything on the topic now, read by a consumer group of its own. */
    private List<ConsumerRecord<String, String>> records(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "system-tests-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private JsonNode findComment(String article, String id) throws Exception {
        JsonNode page = get(system.commentService.resolve("/api/articles/" + article + "/comments?limit=100"), 200);
        return find(page.get("comments"), id);
    }

    private static JsonNode find(JsonNode comments, String id) {
        for (JsonNode comment : comments) {
            if (comment.get("id").asString().equals(id)) {
                return comment;
            }
            JsonNode inReplies = find(comment.get("replies"), id);
            if (inReplies != null) {
                return inReplies;
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
                    } catch (jakarta.mail.MessagingException ex) {
                        throw new IllegalStateException(ex);
                    }
                })
                .toList();
    }

    private JsonNode post(String article, Map<String, Object> body, int expectedStatus) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        system.commentService.resolve("/api/articles/" + article + "/comments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST answer: %s", response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    private JsonNode get(URI uri, int expectedStatus) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s answer: %s", uri, response.body())
                .isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    private String getBody(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String newArticle() {
        return "article-" + UUID.randomUUID();
    }
}
