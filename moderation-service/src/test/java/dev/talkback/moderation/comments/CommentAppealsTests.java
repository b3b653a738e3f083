package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.events.CommentAppealed;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * An author's request for a human review of a rejection: the comment enters the appealed queue once, a moderator's
 * decision resolves it, the outcome is published as the next revision, and the transparency export counts it.
 */
class CommentAppealsTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    CommentAppeals appeals;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void anAppealedRejectionIsReviewedOnceAndAReversalIsPublishedAndCounted() {
        Instant from = Instant.now().minusSeconds(1);
        Instant to = Instant.now().plus(Duration.ofHours(1));
        JsonNode before = transparency(from, to);
        var rejected = automatic.moderate(submission("Tickets for the casino night at the library " + words()));
        assertThat(rejected.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);

        // an appeal of another revision than the current decision changes nothing
        assertThat(appeals.receive(appeal(rejected, 2)).block(WAIT)).isFalse();
        assertThat(appeals.receive(appeal(rejected, 1)).block(WAIT)).isTrue();
        assertThat(appeals.receive(appeal(rejected, 1)).block(WAIT))
                .as("asked again")
                .isFalse();

        JsonNode queue = queue("APPEALED", rejected.articleId());
        assertThat(queue.get("items").size()).isEqualTo(1);
        assertThat(queue.get("items").get(0).get("appeal").get("explanation").asString())
                .isEqualTo("It is a charity evening.");

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", rejected.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "APPROVE", "reason", "A charity event, not spam"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.appeal.outcome")
                .isEqualTo("APPROVED");

        assertThat(queue("APPEALED", rejected.articleId()).get("items").size()).isZero();
        var events = moderatedEvents(rejected.commentId(), 2);
        assertThat(events.get(1).outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(events.get(1).human()).isTrue();
        JsonNode after = transparency(from, to);
        for (String counted : List.of("appealsReceived", "appealsResolved", "appealsReversed")) {
            assertThat(after.get(counted).asLong() - before.get(counted).asLong())
                    .as(counted)
                    .isEqualTo(1);
        }
    }

    private JsonNode queue(String status, String article) {
        return as(Tokens.moderator("mia"))
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("status", status)
                        .queryParam("articleId", article)
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private JsonNode transparency(Instant from, Instant to) {
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

    private static CommentAppealed appeal(CommentModerated decision, int revision) {
        return new CommentAppealed(
                UUID.randomUUID(),
                Instant.now(),
                decision.commentId(),
                decision.articleId(),
                revision,
                "It is a charity evening.");
    }

    private static String words() {
        return UUID.randomUUID().toString().replace('-', ' ');
    }

    private static CommentSubmitted submission(String text) {
        return new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                "appealed-" + UUID.randomUUID(),
                null,
                new CommentSubmitted.Author("Ada Reader", "ada-" + UUID.randomUUID() + "@example.org", null, false),
                text,
                "203.0.113.9",
                "curl/8");
    }
}
