package dev.talkback.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service end to end on a real broker and store: intake → Kafka, Kafka → read model → GET and status.
 * Subclasses choose the backends (embedded, or Testcontainers when Docker exists); each test uses its own article.
 */
abstract class CommentFlowScenarios {

    private static final String EMAIL = "ada.reader@example.org";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a page must stay as it is after a record that must change nothing (cached pages are evicted in ms). */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Autowired
    KafkaTemplate<String, Object> kafkaTemplate;

    @Autowired
    JsonMapper json;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    /** The live consumer evicts the cached pages of an article it hears of: it must be listening before a decision. */
    @BeforeEach
    void liveConsumerHasItsPartitions() {
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("comment-service-live"), 2);
    }

    /**
     * The broker this context was built with: {@code spring.kafka.bootstrap-servers} read now would name the broker of
     * whichever test context started last (an embedded broker sets it as a system property).
     */
    @Autowired
    KafkaProperties kafkaProperties;

    private KafkaTopics topics() {
        return new KafkaTopics(String.join(",", kafkaProperties.getBootstrapServers()));
    }

    @Test
    void postedCommentIsOnTheTopicAndAppearsOnceApprovedWithItsReplies() {
        String article = article();
        JsonNode accepted = post(
                article,
                Map.of(
                        "name",
                        " Ada Reader ",
                        "email",
                        EMAIL,
                        "website",
                        "https://ada.example.org",
                        "text",
                        "  A thaw would be welcome.\nSee https://example.org  ",
                        "notifyReplies",
                        true,
                        "notifyPublished",
                        true));
        String id = accepted.get("id").stringValue();
        assertThat(accepted.get("status").stringValue()).isEqualTo("PENDING");
        String statusUrl = accepted.get("statusUrl").stringValue();
        assertThat(statusUrl)
                .isEqualTo("/api/comments/" + id + "/status?token="
                        + accepted.get("statusToken").stringValue());
        assertThat(CommentIds.isWellFormed(id)).isTrue();
        // rendered as readers will get it, for the author's widget to show at once
        String html =
                "<p>A thaw would be welcome.<br />See <a href=\"https://example.org\" rel=\"nofollow ugc noopener\">https://example.org</a></p>";
        assertThat(accepted.get("html").stringValue()).isEqualTo(html);

        ConsumerRecord<String, byte[]> record = submittedRecord(id);
        JsonNode event = json.readTree(record.value());
        assertThat(event.get("commentId").stringValue()).isEqualTo(id);
        assertThat(event.get("articleId").stringValue()).isEqualTo(article);
        assertThat(event.get("author").get("name").stringValue()).isEqualTo("Ada Reader");
        assertThat(event.get("author").get("email").stringValue()).isEqualTo(EMAIL);
        assertThat(event.get("author").get("website").stringValue()).isEqualTo("https://ada.example.org");
        assertThat(event.get("author").get("notifyReplies").booleanValue()).isTrue();
        assertThat(event.get("author").get("notifyPublished").booleanValue()).isTrue();
        assertThat(event.get("text").stringValue()).isEqualTo("A thaw would be welcome.\nSee https://example.org");
        assertThat(event.get("clientIp").stringValue()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(event.get("userAgent").stringValue()).isEqualTo("flow-test/1.0");
        assertThat(new String(record.headers().lastHeader("__TypeId__").value(), StandardCharsets.UTF_8))
                .isEqualTo("CommentSubmitted");

        status(statusUrl)
                .jsonPath("$.status")
                .isEqualTo("PENDING")
                .jsonPath("$.reason")
                .doesNotExist()
                .jsonPath("$.html")
                .doesNotExist();

        moderate(event, 1, Outcome.APPROVED);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(page(article, "").get("comments")).hasSize(1));
        JsonNode comment = page(article, "").get("comments").get(0);
        assertThat(comment.get("id").stringValue()).isEqualTo(id);
        assertThat(comment.get("name").stringValue()).isEqualTo("Ada Reader");
        assertThat(comment.get("website").stringValue()).isEqualTo("https://ada.example.org");
        assertThat(comment.get("text").stringValue()).isEqualTo("A thaw would be welcome.\nSee https://example.org");
        assertThat(comment.get("html").stringValue()).isEqualTo(html);
        assertThat(comment.get("publishedAt").isNull()).isFalse();
        status(statusUrl)
                .jsonPath("$.status")
                .isEqualTo("PUBLISHED")
                .jsonPath("$.html")
                .isEqualTo(html)
                .jsonPath("$.statement")
                .isEmpty();

        JsonNode reply =
                post(article, Map.of("name", "Bob", "email", "bob@example.org", "text", "Agreed.", "parentId", id));
        String replyId = reply.get("id").stringValue();
        JsonNode replyEvent = json.readTree(submittedRecord(replyId).value());
        assertThat(replyEvent.get("parentId").stringValue()).isEqualTo(id);
        moderate(replyEvent, 1, Outcome.APPROVED);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                page(article, "").get("comments").get(0).get("replies"))
                        .hasSize(1));
        JsonNode shown = page(article, "");
        assertThat(shown.get("total").intValue()).isEqualTo(2);
        JsonNode nested = shown.get("comments").get(0).get("replies").get(0);
        assertThat(nested.get("id").stringValue()).isEqualTo(replyId);
        assertThat(nested.get("parentId").stringValue()).isEqualTo(id);
        assertThat(nested.get("replies")).isEmpty();
        assertThat(rawPage(article, ""))
                .doesNotContain(EMAIL)
                .doesNotContain("bob@example.org")
                .doesNotContain("email");
    }

    @Test
    void aPageCachedBeforeTheDecisionShowsTheCommentOnceTheReadModelHoldsItWithoutWaitingForTheLiveConsumer() {
        String article = article();
        // read before the decision: the empty page is cached (for an hour in these tests)
        assertThat(page(article, "").get("comments")).isEmpty();
        var live = listeners.getListenerContainer("comment-service-live");
        live.stop();
        try {
            String id = new CommentIds().next();
            moderate(id, article, null, 1, Outcome.APPROVED, null);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(page(article, "").get("comments"))
                            .extracting(c -> c.get("id").stringValue())
                            .containsExactly(id));
        } finally {
            live.start();
        }
    }

    @Test
    void rejectedCommentNeverAppearsAndItsAuthorSeesTheReason() {
        String article = article();
        JsonNode accepted = post(article, Map.of("name", "Spammer", "email", EMAIL, "text", "Buy now"));
        String id = accepted.get("id").stringValue();
        moderate(id, article, null, 1, Outcome.REJECTED, "Too many links.");
        await().atMost(WAIT)
                .untilAsserted(() -> status(accepted.get("statusUrl").stringValue())
                        .jsonPath("$.status")
                        .isEqualTo("REJECTED")
                        .jsonPath("$.reason")
                        .isEqualTo("Too many links.")
                        .jsonPath("$.statement.facts")
                        .isEqualTo("AUTOMATED_CHECK")
                        .jsonPath("$.statement.automatedDecision")
                        .isEqualTo(true)
                        .jsonPath("$.statement.reference")
                        .isEqualTo("Comment rules, 1")
                        .jsonPath("$.statement.redress")
                        .isEqualTo("Write to the editors."));
        JsonNode page = page(article, "");
        assertThat(page.get("comments")).isEmpty();
        assertThat(page.get("total").intValue()).isZero();
    }

    @Test
    void theAuthorOfARejectedCommentAsksOnceForAHumanReview() {
        String article = article();
        JsonNode accepted = post(article, Map.of("name", "Ada", "email", EMAIL, "text", "See my sources."));
        String id = accepted.get("id").stringValue();
        String token = accepted.get("statusToken").stringValue();
        String statusUrl = accepted.get("statusUrl").stringValue();
        // not decided yet: nothing to appeal
        appeal(id, token, Map.of()).expectStatus().isEqualTo(409);

        moderate(id, article, null, 1, Outcome.REJECTED, "Too many links.");
        await().atMost(WAIT)
                .untilAsserted(() -> status(statusUrl)
                        .jsonPath("$.status")
                        .isEqualTo("REJECTED")
                        .jsonPath("$.appealable")
                        .isEqualTo(true));
        appeal(id, "x" + token, Map.of()).expectStatus().isNotFound();
        appeal(id, token, Map.of("explanation", "e".repeat(1001)))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("explanation");

        appeal(id, token, Map.of("explanation", "  The links are my sources.  "))
                .expectStatus()
                .isAccepted();

        ConsumerRecord<String, byte[]> record = await().atMost(WAIT)
                .until(
                        () -> topics().records(Topics.COMMENTS_APPEALED).stream()
                                .filter(r -> id.equals(r.key()))
                                .findFirst()
                                .orElse(null),
                        found -> found != null);
        JsonNode event = json.readTree(record.value());
        assertThat(event.get("articleId").stringValue()).isEqualTo(article);
        assertThat(event.get("revision").intValue()).isEqualTo(1);
        assertThat(event.get("explanation").stringValue()).isEqualTo("The links are my sources.");
        status(statusUrl)
                .jsonPath("$.appealable")
                .isEqualTo(false)
                .jsonPath("$.appealedAt")
                .isNotEmpty()
                .jsonPath("$.review")
                .isEqualTo("UNDER_REVIEW");
        // once per comment
        appeal(id, token, Map.of())
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("already"));

        // a moderator's decision after the appeal is the review's outcome, and the author sees it
        moderate(id, article, null, 2, Outcome.APPROVED, null);
        await().atMost(WAIT)
                .untilAsserted(() -> status(statusUrl)
                        .jsonPath("$.status")
                        .isEqualTo("PUBLISHED")
                        .jsonPath("$.review")
                        .isEqualTo("DECIDED"));
    }

    private WebTestClient.ResponseSpec appeal(String id, String token, Map<String, Object> body) {
        var request = client.post().uri("/api/comments/{id}/appeal?token={token}", id, token);
        return body.isEmpty()
                ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body)
                        .exchange();
    }

    @Test
    void redeliveredAndOlderDecisionsChangeNothing() throws Exception {
        String article = article();
        String id = new CommentIds().next();
        moderate(id, article, null, 1, Outcome.APPROVED, null);
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(page(article, "").get("comments")).hasSize(1));
        String before = rawPage(article, "");

        // the same event again (a redelivery): nothing changes (and stays so once the cached page is evicted)
        consumed(moderate(id, article, null, 1, Outcome.APPROVED, null));
        await().during(SETTLE)
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(rawPage(article, "")).isEqualTo(before));

        // a moderator rejects it: it disappears
        moderate(id, article, null, 2, Outcome.REJECTED, "Off topic.");
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(page(article, "").get("comments")).isEmpty());

        // the older automatic approval arrives late: still rejected
        consumed(moderate(id, article, null, 1, Outcome.APPROVED, null));
        await().during(SETTLE)
                .atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(page(article, "").get("comments")).isEmpty());
        status("/api/comments/" + id + "/status?token=" + tokens.tokenFor(id))
                .jsonPath("$.status")
                .isEqualTo("REJECTED")
                .jsonPath("$.reason")
                .isEqualTo("Off topic.")
                .jsonPath("$.statement.facts")
                .isEqualTo("OWN_REVIEW")
                .jsonPath("$.statement.automatedDecision")
                .isEqualTo(false);
    }

    @Autowired
    StatusTokens tokens;

    @Test
    void pagesRunOverTopLevelCommentsOldestFirstAndHideRepliesToHiddenComments() {
        String article = article();
        CommentIds ids = new CommentIds();
        String first = ids.next();
        String second = ids.next();
        String third = ids.next();
        String rejected = ids.next();
        String orphan = ids.next();
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        moderate(first, article, null, 1, Outcome.APPROVED, null, t);
        moderate(second, article, null, 1, Outcome.APPROVED, null, t.plusSeconds(1));
        moderate(third, article, null, 1, Outcome.APPROVED, null, t.plusSeconds(2));
        moderate(rejected, article, null, 1, Outcome.REJECTED, null, t.plusSeconds(3));
        moderate(orphan, article, rejected, 1, Outcome.APPROVED, null, t.plusSeconds(4));
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(page(article, "?limit=100").get("comments")).hasSize(3));
        // wait for the orphan too, which must stay invisible
        await().atMost(WAIT).until(() -> rawStatus(orphan).contains("PUBLISHED"));

        JsonNode one = page(article, "?limit=2");
        assertThat(one.get("comments"))
                .extracting(c -> c.get("id").stringValue())
                .containsExactly(first, second);
        assertThat(one.get("total").intValue()).isEqualTo(3);
        String next = one.get("next").stringValue();
        JsonNode two = page(article, "?limit=2&cursor=" + next);
        assertThat(two.get("comments"))
                .extracting(c -> c.get("id").stringValue())
                .containsExactly(third);
        assertThat(two.get("next").isNull()).isTrue();
        assertThat(rawPage(article, "?limit=100")).doesNotContain(orphan).doesNotContain(rejected);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndLaterRecordsStillFlow() throws Exception {
        String article = article();
        String id = new CommentIds().next();
        byte[] poison = ("{not json at all " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        // same key, so the same partition as the valid event that follows
        topics().sendRaw(Topics.COMMENTS_MODERATED, id, poison);
        moderate(id, article, null, 1, Outcome.APPROVED, null);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(topics().records(Topics.COMMENTS_MODERATED_DLT))
                        .anySatisfy(r -> {
                            assertThat(r.key()).isEqualTo(id);
                            assertThat(r.value()).isEqualTo(poison);
                        }));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(page(article, "").get("comments")).hasSize(1));
    }

    @Test
    void theActuatorIsOnTheManagementPortOnlyAndShowsNoDetails() {
        WebTestClient management = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .build();
        for (String path : List.of("/actuator/health/readiness", "/actuator/health/liveness", "/actuator/health")) {
            var result = management
                    .get()
                    .uri(path)
                    .exchange()
                    .expectBody(String.class)
                    .returnResult();
            assertThat(result.getStatus().value())
                    .as(path + ": " + result.getResponseBody())
                    .isEqualTo(200);
            // status only: no components, no cluster id, no database
            assertThat(json.readTree(result.getResponseBody()).propertyNames())
                    .as(path)
                    .isSubsetOf("status", "groups")
                    .doesNotContain("components", "details");
            assertThat(json.readTree(result.getResponseBody()).get("status").stringValue())
                    .isEqualTo("UP");
        }
        management
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));

        for (String path : List.of(
                "/actuator",
                "/actuator/health",
                "/actuator/health/readiness",
                "/actuator/health/liveness",
                "/actuator/prometheus",
                "/actuator/info")) {
            client.get().uri(path).exchange().expectStatus().isNotFound();
        }
    }

    // --- helpers

    private static String article() {
        return "article-" + UUID.randomUUID();
    }

    private JsonNode post(String article, Map<String, Object> body) {
        byte[] response = client.post()
                .uri("/api/articles/{a}/comments", article)
                .contentType(MediaType.APPLICATION_JSON)
                .header("User-Agent", "flow-test/1.0")
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return json.readTree(response);
    }

    private ConsumerRecord<String, byte[]> submittedRecord(String id) {
        List<ConsumerRecord<String, byte[]>> matching = topics().records(Topics.COMMENTS_SUBMITTED).stream()
                .filter(r -> id.equals(r.key()))
                .toList();
        assertThat(matching).as("records keyed %s", id).hasSize(1);
        return matching.get(0);
    }

    private WebTestClient.BodyContentSpec status(String statusUrl) {
        return client.get().uri(statusUrl).exchange().expectStatus().isOk().expectBody();
    }

    private String rawStatus(String id) {
        return new String(
                client.get()
                        .uri("/api/comments/" + id + "/status?token=" + tokens.tokenFor(id))
                        .exchange()
                        .expectBody()
                        .returnResult()
                        .getResponseBody(),
                StandardCharsets.UTF_8);
    }

    private JsonNode page(String article, String query) {
        return json.readTree(rawPage(article, query));
    }

    private String rawPage(String article, String query) {
        byte[] body = client.get()
                .uri("/api/articles/" + article + "/comments" + query)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return new String(body, StandardCharsets.UTF_8);
    }

    private SendResult<String, Object> moderate(
            String id,
            String article,
            @Nullable String parentId,
            int revision,
            Outcome outcome,
            @Nullable String publicReason) {
        return moderate(id, article, parentId, revision, outcome, publicReason, Instant.now());
    }

    private SendResult<String, Object> moderate(
            String id,
            String article,
            @Nullable String parentId,
            int revision,
            Outcome outcome,
            @Nullable String publicReason,
            Instant at) {
        var event = new CommentModerated(
                UUID.randomUUID(),
                at,
                id,
                article,
                revision,
                outcome,
                revision > 1,
                List.of(new CommentModerated.Reason("test.rule", "decided by the test")),
                publicReason,
                new CommentModerated.PublicComment(
                        parentId, "Author of " + id, null, "Text of " + id, at.minusSeconds(1)),
                new CommentModerated.AuthorContact(EMAIL, false),
                outcome != Outcome.REJECTED
                        ? null
                        : new CommentModerated.Statement(
                                revision > 1
                                        ? CommentModerated.Statement.Facts.OWN_REVIEW
                                        : CommentModerated.Statement.Facts.AUTOMATED_CHECK,
                                revision == 1,
                                revision == 1,
                                CommentModerated.Statement.Ground.TERMS,
                                "Comment rules, 1",
                                publicReason,
                                "Write to the editors."));
        return kafkaTemplate.send(Topics.COMMENTS_MODERATED, id, event).join();
    }

    /** Decides on a submitted comment as moderation-service would: the public part of the comment, the contact apart. */
    private void moderate(JsonNode submitted, int revision, Outcome outcome) {
        JsonNode author = submitted.get("author");
        var event = new CommentModerated(
                UUID.randomUUID(),
                Instant.now(),
                submitted.get("commentId").stringValue(),
                submitted.get("articleId").stringValue(),
                revision,
                outcome,
                false,
                List.of(),
                null,
                new CommentModerated.PublicComment(
                        submitted.get("parentId").stringValue(null),
                        author.get("name").stringValue(),
                        author.get("website").stringValue(null),
                        submitted.get("text").stringValue(),
                        Instant.parse(submitted.get("occurredAt").stringValue())),
                new CommentModerated.AuthorContact(
                        author.get("email").stringValue(),
                        author.get("notifyReplies").booleanValue()));
        kafkaTemplate.send(Topics.COMMENTS_MODERATED, event.commentId(), event).join();
    }

    /** Waits until the read model's consumer group committed past the record, i.e. the listener handled it. */
    private void consumed(SendResult<String, Object> sent) {
        var metadata = sent.getRecordMetadata();
        await().atMost(WAIT)
                .until(() -> topics().consumedPast(
                                "comment-service", metadata.topic(), metadata.partition(), metadata.offset()));
    }
}
