package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentReported;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The transparency export counts what happened in its period: measured as the difference the test's own comments,
 * reports and decisions make (other tests share the store).
 */
class TransparencyReportTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    CommentReports reports;

    @Test
    void aNoticeARemovalOnALegalGroundAndAnAutomaticRejectionAreCounted() {
        Instant from = Instant.now().minusSeconds(1);
        Instant to = Instant.now().plus(Duration.ofHours(1));
        JsonNode before = counts(from, to);

        var published = automatic.moderate(submission("A fair point about the harbour, " + words()));
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        reports.receive(new CommentReported(
                        UUID.randomUUID(),
                        Instant.now(),
                        UUID.randomUUID().toString(),
                        published.commentId(),
                        published.articleId(),
                        CommentReported.Reason.ILLEGAL_CONTENT,
                        null,
                        new CommentReported.Notice("Defamation.", "Grace", "grace@example.org", true),
                        "198.51.100.50"))
                .block(WAIT);
        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", published.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "REJECT", "ground", "LAW", "reference", "Defamation act, s. 1"))
                .exchange()
                .expectStatus()
                .isOk();
        var rejected = automatic.moderate(submission("Win at the casino tonight " + words()));
        assertThat(rejected.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);

        JsonNode after = counts(from, to);
        assertThat(delta(before, after, "reportsByReason", "ILLEGAL_CONTENT")).isEqualTo(1);
        assertThat(after.get("noticesReceived").asLong()
                        - before.get("noticesReceived").asLong())
                .isEqualTo(1);
        assertThat(after.get("reportsResolved").asLong()
                        - before.get("reportsResolved").asLong())
                .isEqualTo(1);
        assertThat(after.get("medianSecondsToDecideNotice").isNull()).isFalse();
        assertThat(delta(before, after, "automatedDecisions", "APPROVED")).isEqualTo(1);
        assertThat(delta(before, after, "automatedDecisions", "REJECTED")).isEqualTo(1);
        assertThat(delta(before, after, "humanDecisions", "REJECTED")).isEqualTo(1);
        assertThat(delta(before, after, "removalsByGround", "LAW")).isEqualTo(1);
        assertThat(delta(before, after, "removalsByGround", "TERMS")).isEqualTo(1);
        assertThat(delta(before, after, "removalsByFacts", "NOTICE")).isEqualTo(1);
        assertThat(delta(before, after, "removalsByFacts", "AUTOMATED_CHECK")).isEqualTo(1);
        assertThat(after.get("reversals").asLong() - before.get("reversals").asLong())
                .isEqualTo(1);

        String csv = as(Tokens.admin("root"))
                .get()
                .uri(b -> b.path("/api/moderation/transparency")
                        .queryParam("from", from.toString())
                        .queryParam("to", to.toString())
                        .queryParam("format", "csv")
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith("text/csv")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(csv)
                .startsWith("section,key,value\n")
                .contains("removals-by-ground,LAW,"
                        + after.get("removalsByGround").get("LAW").asLong() + "\n")
                .contains("decisions,reversals," + after.get("reversals").asLong() + "\n");
    }

    @Test
    void theExportIsForAdministratorsAndForAPeriodOfAtMostAYear() {
        Instant now = Instant.now();
        as(Tokens.moderator("mia"))
                .get()
                .uri(b -> b.path("/api/moderation/transparency")
                        .queryParam("from", now.minusSeconds(60).toString())
                        .queryParam("to", now.toString())
                        .build())
                .exchange()
                .expectStatus()
                .isForbidden();
        as(Tokens.admin("root"))
                .get()
                .uri(b -> b.path("/api/moderation/transparency")
                        .queryParam("from", now.toString())
                        .queryParam("to", now.minusSeconds(60).toString())
                        .build())
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("to");
        as(Tokens.admin("root"))
                .get()
                .uri(b -> b.path("/api/moderation/transparency")
                        .queryParam("from", now.minus(Duration.ofDays(400)).toString())
                        .queryParam("to", now.toString())
                        .build())
                .exchange()
                .expectStatus()
                .isEqualTo(422);
    }

    private JsonNode counts(Instant from, Instant to) {
        return as(Tokens.admin("root"))
                .get()
                .uri(b -> b.path("/api/moderation/transparency")
                        .queryParam("from", from.toString())
                        .queryParam("to", to.toString())
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private static long delta(JsonNode before, JsonNode after, String section, String key) {
        JsonNode b = before.get(section).get(key);
        JsonNode a = after.get(section).get(key);
        return (a == null ? 0 : a.asLong()) - (b == null ? 0 : b.asLong());
    }

    private static String words() {
        return UUID.randomUUID().toString().replace('-', ' ');
    }

    private static CommentSubmitted submission(String text) {
        return new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                "transparency-" + UUID.randomUUID(),
                null,
                new CommentSubmitted.Author("Ada Reader", "ada-" + UUID.randomUUID() + "@example.org", null, false),
                text,
                "203.0.113.9",
                "curl/8");
    }
}
