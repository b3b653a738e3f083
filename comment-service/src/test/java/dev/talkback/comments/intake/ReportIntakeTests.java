package dev.talkback.comments.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.KafkaTopics;
import dev.talkback.comments.LimitedBackendTest;
import dev.talkback.comments.published.PublishedComments;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Readers report published comments: what reaches moderation-service on {@code comments.reported.v1}, what is refused
 * with a problem detail naming each bad field (and then nothing is published), and the bound per address (2 an hour
 * here).
 */
@LimitedBackendTest
class ReportIntakeTests {

    private static final CommentIds IDS = new CommentIds();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Autowired
    PublishedComments readModel;

    /** This context's broker (the system property names the broker of whichever test context started last). */
    @Autowired
    EmbeddedKafkaBroker broker;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aReportOfAPublishedCommentGoesToModeration() {
        String id = published();
        String address = newAddress();

        String reportId = report(id, address, Map.of("reason", "abuse", "note", "Insults another reader."))
                .expectStatus()
                .isAccepted()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("reportId")
                .asString();

        JsonNode event = reported(reportId);
        assertThat(event.get("commentId").asString()).isEqualTo(id);
        assertThat(event.get("articleId").asString()).isEqualTo("article-of-" + id);
        assertThat(event.get("reason").asString()).isEqualTo("ABUSE");
        assertThat(event.get("note").asString()).isEqualTo("Insults another reader.");
        assertThat(event.get("notice").isNull()).isTrue();
        assertThat(event.get("clientIp").asString()).isEqualTo(address);
    }

    @Test
    void aNoticeOfIllegalContentCarriesWhatTheLawAsksFor() {
        String id = published();

        String reportId = report(
                        id,
                        newAddress(),
                        Map.of(
                                "reason", "ILLEGAL_CONTENT",
                                "explanation", "  It gives a private person's home address.  ",
                                "name", "Grace Notifier",
                                "email", "grace@example.org",
                                "goodFaith", true))
                .expectStatus()
                .isAccepted()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("reportId")
                .asString();

        JsonNode notice = reported(reportId).get("notice");
        assertThat(notice.get("explanation").asString()).isEqualTo("It gives a private person's home address.");
        assertThat(notice.get("name").asString()).isEqualTo("Grace Notifier");
        assertThat(notice.get("email").asString()).isEqualTo("grace@example.org");
        assertThat(notice.get("goodFaith").asBoolean()).isTrue();
    }

    @Test
    void aNoticeWithoutItsElementsIsRefusedNamingEachAndNothingIsPublished() {
        String id = published();
        long before = new KafkaTopics(broker.getBrokersAsString()).recordCount(Topics.COMMENTS_REPORTED);

        report(id, newAddress(), Map.of("reason", "illegal-content", "email", "not an address"))
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat((List<Object>) fields)
                        .containsExactlyInAnyOrder("explanation", "name", "email", "goodFaith"));
        report(id, newAddress(), Map.of("reason", "boring"))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("reason")
                .jsonPath("$.errors[0].message")
                .value(message -> assertThat((String) message).contains("off-topic"));
        report(id, newAddress(), Map.of("reason", "spam", "note", "n".repeat(ReportRules.MAX_NOTE + 1)))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("note");

        assertThat(new KafkaTopics(broker.getBrokersAsString()).recordCount(Topics.COMMENTS_REPORTED))
                .isEqualTo(before);
    }

    @Test
    void onlyAPublishedCommentCanBeReported() {
        String hidden = published();
        decide(hidden, 2, Outcome.HELD);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> readModel.articleOfPublished(hidden).block() == null);
        for (String id : List.of(hidden, IDS.next(), "not-an-id")) {
            report(id, newAddress(), Map.of("reason", "spam"))
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void anAddressSendsAtMostItsReportsAndOthersAreNotAffected() {
        String id = published();
        String address = newAddress();
        report(id, address, Map.of("reason", "spam")).expectStatus().isAccepted();
        report(id, address, Map.of("reason", "off-topic")).expectStatus().isAccepted();
        report(id, address, Map.of("reason", "other"))
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("too many reports"));
        report(id, newAddress(), Map.of("reason", "other")).expectStatus().isAccepted();
    }

    @Test
    void appealsCountAgainstTheSameBucketBeforeTheirTokenIsChecked() {
        String id = published();
        String address = newAddress();
        for (int i = 0; i < 2; i++) {
            appeal(id, address).expectStatus().isNotFound();
        }
        appeal(id, address)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("too many reviews"));
        appeal(id, newAddress()).expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec appeal(String id, String address) {
        return client.post()
                .uri("/api/comments/{id}/appeal?token={token}", id, "not-the-token")
                .header("X-Forwarded-For", address)
                .exchange();
    }

    private WebTestClient.ResponseSpec report(String id, String address, Map<String, Object> body) {
        return client.post()
                .uri("/api/comments/{id}/reports", id)
                .header("X-Forwarded-For", address)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** A published comment, as comment-service learns it from moderation-service, in its read model. */
    private String published() {
        String id = IDS.next();
        decide(id, 1, Outcome.APPROVED);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> readModel.articleOfPublished(id).block() != null);
        return id;
    }

    private void decide(String id, int revision, Outcome outcome) {
        Instant at = Instant.now();
        kafka.send(
                        Topics.COMMENTS_MODERATED,
                        id,
                        new CommentModerated(
                                UUID.randomUUID(),
                                at,
                                id,
                                "article-of-" + id,
                                revision,
                                outcome,
                                revision > 1,
                                List.of(),
                                null,
                                new CommentModerated.PublicComment(null, "Ada", null, "A comment.", at),
                                new CommentModerated.AuthorContact("ada@example.org", false)))
                .join();
    }

    private JsonNode reported(String reportId) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> new KafkaTopics(broker.getBrokersAsString())
                                .records(Topics.COMMENTS_REPORTED).stream()
                                        .map(ConsumerRecord::value)
                                        .map(json::readTree)
                                        .filter(event -> reportId.equals(
                                                event.get("reportId").asString()))
                                        .findFirst()
                                        .orElse(null),
                        event -> event != null);
    }

    /** An address no other test of the shared context uses, so that their buckets do not meet. */
    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.19." + (n >> 8 & 255) + "." + (n & 255);
    }
}
