package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentReported;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * A site that hides reported comments ({@code moderation.reports.hide-while-reported}): once reported, a published
 * comment is held automatically (the next revision, published), and the moderator's decision publishes it again.
 */
@TestPropertySource(properties = "moderation.reports.hide-while-reported=true")
class HideWhileReportedTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    CommentReports reports;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void aReportedCommentIsHiddenUntilAModeratorPublishesItAgain() {
        var comment = automatic.moderate(new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                "hidden-" + UUID.randomUUID(),
                null,
                new CommentSubmitted.Author("Ada Reader", "ada-" + UUID.randomUUID() + "@example.org", null, false),
                "A fair point about the bridge works, "
                        + UUID.randomUUID().toString().replace('-', ' '),
                "203.0.113.9",
                "curl/8"));
        assertThat(comment.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);

        reports.receive(new CommentReported(
                        UUID.randomUUID(),
                        Instant.now(),
                        UUID.randomUUID().toString(),
                        comment.commentId(),
                        comment.articleId(),
                        CommentReported.Reason.ILLEGAL_CONTENT,
                        null,
                        new CommentReported.Notice("Defamation.", "Grace", "grace@example.org", true),
                        "198.51.100.60"))
                .block(WAIT);

        var hidden = moderatedEvents(comment.commentId(), 2).get(1);
        assertThat(hidden.revision()).isEqualTo(2);
        assertThat(hidden.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(hidden.human()).isFalse();
        assertThat(hidden.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("reports.hidden");
        await().atMost(WAIT).untilAsserted(() -> {
            var stored =
                    mongo.findById(comment.commentId(), ModeratedComment.class).block(WAIT);
            assertThat(stored.reported()).isNotNull();
            assertThat(stored.publishPending()).as("published").isNull();
        });

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", comment.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "APPROVE", "reason", "Fair comment"))
                .exchange()
                .expectStatus()
                .isOk();
        var published = moderatedEvents(comment.commentId(), 3).get(2);
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(mongo.findById(comment.commentId(), ModeratedComment.class)
                        .block(WAIT)
                        .reported())
                .isNull();
    }
}
