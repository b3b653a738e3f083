package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentReported;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.EventTypes;
import dev.talkback.events.Topics;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * Readers' reports as moderation-service receives them on {@code comments.reported.v1}: a published comment enters the
 * reported queue once three addresses reported it (or one filed a notice of illegal content), one address counts once,
 * a redelivered report counts once, and a moderator's decision takes it out of the queue and resolves its reports.
 */
class CommentReportsTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    ReactiveMongoTemplate mongo;

    private KafkaTemplate<String, CommentReported> reports;

    @BeforeEach
    void createProducer() {
        // the same serializer and type mapping as comment-service
        reports = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                JacksonJsonSerializer.class,
                "spring.json.type.mapping",
                EventTypes.JSON_TYPE_MAPPING)));
    }

    @AfterEach
    void closeProducer() {
        reports.destroy();
    }

    @Test
    void threeAddressesPutAPublishedCommentInTheReportedQueueAndItStaysPublished() {
        var comment = published();
        report(comment, "198.51.100.1", CommentReported.Reason.ABUSE, "Insults a reader.");
        report(comment, "198.51.100.1", CommentReported.Reason.SPAM, null); // the same address again
        report(comment, "198.51.100.2", CommentReported.Reason.ABUSE, null);
        awaitReports(comment.commentId(), 3);
        assertThat(stored(comment.commentId()).reported()).isNull();
        assertThat(reportedIds(comment.articleId())).isEmpty();

        report(comment, "198.51.100.3", CommentReported.Reason.OFF_TOPIC, null);

        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(reportedIds(comment.articleId())).containsExactly(comment.commentId()));
        var reported = stored(comment.commentId());
        assertThat(reported.decision().outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(reported.decision().revision()).isEqualTo(1);
        assertThat(reported.reported().reports()).isEqualTo(4);
        assertThat(reported.reported().notice()).isFalse();
        assertThat(reported.reported().reasons())
                .containsExactlyInAnyOrderEntriesOf(Map.of("ABUSE", 2, "SPAM", 1, "OFF_TOPIC", 1));
        as(Tokens.moderator("mia"))
                .get()
                .uri("/api/moderation/comments/{id}/reports", comment.commentId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.length()")
                .isEqualTo(4)
                .jsonPath("$[?(@.note == 'Insults a reader.')].reason")
                .isEqualTo(List.of("ABUSE"))
                .jsonPath("$[0].clientIp")
                .doesNotExist();
    }

    @Test
    void oneNoticeOfIllegalContentIsEnoughAndAModeratorsDecisionResolvesTheReports() {
        var comment = published();
        String reportId = report(comment, "198.51.100.7", CommentReported.Reason.ILLEGAL_CONTENT, null);
        // delivered twice: stored and counted once
        report(comment, reportId, "198.51.100.7", CommentReported.Reason.ILLEGAL_CONTENT, null);

        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(reportedIds(comment.articleId())).containsExactly(comment.commentId()));
        assertThat(stored(comment.commentId()).reported().notice()).isTrue();
        assertThat(stored(comment.commentId()).reported().reports()).isEqualTo(1);
        as(Tokens.moderator("mia"))
                .get()
                .uri("/api/moderation/comments/{id}/reports", comment.commentId())
                .exchange()
                .expectBody()
                .jsonPath("$[0].notice.explanation")
                .isEqualTo("It gives a private person's home address.")
                .jsonPath("$[0].notice.email")
                .isEqualTo("grace@example.org");

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", comment.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "REJECT", "reason", "Doxxing", "ground", "LAW"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("reference");
        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", comment.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "action",
                        "REJECT",
                        "reason",
                        "Doxxing",
                        "ground",
                        "LAW",
                        "reference",
                        "Data protection act, s. 4"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.reported")
                .doesNotExist();

        // the author's statement of reasons: the notice, a human decision, the law the moderator named
        var statement = moderatedEvents(comment.commentId(), 2).get(1).statement();
        assertThat(statement.facts()).isEqualTo(CommentModerated.Statement.Facts.NOTICE);
        assertThat(statement.automatedDetection()).isFalse();
        assertThat(statement.automatedDecision()).isFalse();
        assertThat(statement.ground()).isEqualTo(CommentModerated.Statement.Ground.LAW);
        assertThat(statement.reference()).isEqualTo("Data protection act, s. 4");
        assertThat(statement.explanation()).isEqualTo("A moderator decided not to publish this comment.");
        assertThat(statement.redress()).contains("out-of-court dispute settlement");
        assertThat(statement.toString()).doesNotContain("Doxxing").doesNotContain("home address");

        assertThat(reportedIds(comment.articleId())).isEmpty();
        var resolved = mongo.find(Query.query(Criteria.where("commentId").is(comment.commentId())), Report.class)
                .collectList()
                .block(WAIT);
        assertThat(resolved).singleElement().satisfies(report -> {
            assertThat(report.resolvedAt()).isNotNull();
            assertThat(report.resolution()).isEqualTo("REJECTED");
        });
    }

    @Test
    void anAutomaticRejectionAndAModeratorsOwnRemovalCarryTheirStatementsAndAnApprovalNone() {
        var banned = automatic.moderate(submission("Visit my casino tonight " + UUID.randomUUID()));
        assertThat(banned.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(banned.statement().facts()).isEqualTo(CommentModerated.Statement.Facts.AUTOMATED_CHECK);
        assertThat(banned.statement().automatedDetection()).isTrue();
        assertThat(banned.statement().automatedDecision()).isTrue();
        assertThat(banned.statement().ground()).isEqualTo(CommentModerated.Statement.Ground.TERMS);
        assertThat(banned.statement().reference()).isEqualTo("the site's comment rules");
        assertThat(banned.statement().explanation()).isEqualTo(banned.publicReason());

        var comment = published();
        assertThat(comment.statement()).isNull();
        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", comment.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "REJECT", "reference", "Comment rules, 2: stay on topic"))
                .exchange()
                .expectStatus()
                .isOk();
        var statement = moderatedEvents(comment.commentId(), 2).get(1).statement();
        assertThat(statement.facts()).isEqualTo(CommentModerated.Statement.Facts.OWN_REVIEW);
        assertThat(statement.automatedDetection()).isFalse();
        assertThat(statement.ground()).isEqualTo(CommentModerated.Statement.Ground.TERMS);
        assertThat(statement.reference()).isEqualTo("Comment rules, 2: stay on topic");
    }

    @Test
    void aReportOfACommentThatIsNotPublishedIsKeptAndChangesNothing() {
        var held = automatic.moderate(
                submission("See https://a.example/1 https://b.example/2 https://c.example/3 " + UUID.randomUUID()));
        assertThat(held.outcome()).isEqualTo(CommentModerated.Outcome.HELD);

        report(held, "198.51.100.9", CommentReported.Reason.ILLEGAL_CONTENT, null);

        awaitReports(held.commentId(), 1);
        assertThat(stored(held.commentId()).reported()).isNull();
    }

    @Test
    void theReportsOfACommentAreForModerators() {
        as(Tokens.withoutRole("reader"))
                .get()
                .uri("/api/moderation/comments/{id}/reports", "c-any")
                .exchange()
                .expectStatus()
                .isForbidden();
        web.get()
                .uri("/api/moderation/comments/{id}/reports", "c-any")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    private CommentModerated published() {
        var comment = automatic.moderate(submission("A fair point about the council budget, "
                + UUID.randomUUID().toString().replace('-', ' ')));
        assertThat(comment.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        return comment;
    }

    private static CommentSubmitted submission(String text) {
        return new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                "reported-" + UUID.randomUUID(),
                null,
                new CommentSubmitted.Author("Ada Reader", "ada-" + UUID.randomUUID() + "@example.org", null, false),
                text,
                "203.0.113.9",
                "curl/8");
    }

    private String report(CommentModerated comment, String ip, CommentReported.Reason reason, String note) {
        return report(comment, UUID.randomUUID().toString(), ip, reason, note);
    }

    private String report(
            CommentModerated comment, String reportId, String ip, CommentReported.Reason reason, String note) {
        var event = new CommentReported(
                UUID.randomUUID(),
                Instant.now(),
                reportId,
                comment.commentId(),
                comment.articleId(),
                reason,
                note,
                reason == CommentReported.Reason.ILLEGAL_CONTENT
                        ? new CommentReported.Notice(
                                "It gives a private person's home address.",
                                "Grace Notifier",
                                "grace@example.org",
                                true)
                        : null,
                ip);
        reports.send(Topics.COMMENTS_REPORTED, comment.commentId(), event).join();
        return reportId;
    }

    private void awaitReports(String commentId, long count) {
        await().atMost(WAIT)
                .until(() -> mongo.count(Query.query(Criteria.where("commentId").is(commentId)), Report.class)
                        .block(WAIT)
                        .equals(count));
    }

    private List<String> reportedIds(String article) {
        return as(Tokens.moderator("mia"))
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("status", "REPORTED")
                        .queryParam("articleId", article)
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Page.class)
                .returnResult()
                .getResponseBody()
                .items()
                .stream()
                .map(Item::id)
                .toList();
    }

    private ModeratedComment stored(String id) {
        return mongo.findById(id, ModeratedComment.class).block(WAIT);
    }

    record Page(List<Item> items, String next) {}

    record Item(String id) {}
}
