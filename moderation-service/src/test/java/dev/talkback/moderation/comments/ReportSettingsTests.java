package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentReported;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import dev.talkback.moderation.rules.ActiveRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;

/**
 * The report settings of the Settings API ({@code reports {threshold, noticeThreshold, hideWhileReported}}): a site's
 * threshold of 1 puts a comment in the reported queue at the first report, an article's own threshold overrides the
 * site's, {@code hideWhileReported} set for an article holds its reported comments, each member follows the site on
 * its own, and out-of-range values are refused naming the field. Unset, the {@code moderation.reports.*} properties
 * apply (3, 1, published: {@link CommentReportsTests}).
 */
class ReportSettingsTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    CommentReports reports;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    ActiveRules rules;

    private List<Document> settingsBefore;

    @BeforeEach
    void keepSettings() {
        settingsBefore = mongo.findAll(Document.class, "settings").collectList().block(WAIT);
    }

    @AfterEach
    void restoreSettings() {
        // the site's settings would change the other tests' rules (they share this context)
        mongo.remove(new Query(), "settings").block(WAIT);
        if (!settingsBefore.isEmpty()) {
            mongo.insert(settingsBefore, "settings").collectList().block(WAIT);
        }
        rules.refresh().block(WAIT);
    }

    @Test
    void aSiteThresholdOfOnePutsACommentInTheReportedQueueAtTheFirstReport() {
        var before = published(TestComments.article());
        report(before, "198.51.100.20", CommentReported.Reason.ABUSE);
        // the properties' default: three addresses
        assertThat(stored(before).reported()).isNull();

        putSettings("/api/moderation/settings", Map.of("reports", Map.of("threshold", 1)))
                .expectBody()
                .jsonPath("$.reports.threshold")
                .isEqualTo(1)
                .jsonPath("$.reports.noticeThreshold")
                .doesNotExist();

        var comment = published(TestComments.article());
        report(comment, "198.51.100.21", CommentReported.Reason.OFF_TOPIC);

        var reported = stored(comment).reported();
        assertThat(reported).isNotNull();
        assertThat(reported.reports()).isEqualTo(1);
        assertThat(reported.notice()).isFalse();
        assertThat(stored(comment).decision().outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(reportedIds(comment.articleId())).containsExactly(comment.commentId());
    }

    @Test
    void anArticlesThresholdOverridesTheSitesAndItsOtherMembersFollowTheSite() {
        putSettings("/api/moderation/settings", Map.of("reports", Map.of("threshold", 1, "noticeThreshold", 5)));
        String article = TestComments.article();
        putSettings("/api/moderation/articles/{id}/settings", Map.of("reports", Map.of("threshold", 2)), article);

        var comment = published(article);
        report(comment, "198.51.100.30", CommentReported.Reason.SPAM);
        assertThat(stored(comment).reported()).as("one of the article's two").isNull();
        // a notice counts among the reports, but the site's notice threshold (5) is not reached by one
        report(comment, "198.51.100.30", CommentReported.Reason.ILLEGAL_CONTENT);
        assertThat(stored(comment).reported())
                .as("the same address counts once")
                .isNull();

        report(comment, "198.51.100.31", CommentReported.Reason.SPAM);
        assertThat(stored(comment).reported()).isNotNull();
        assertThat(stored(comment).reported().reports()).isEqualTo(3);

        // another article follows the site: its first report is enough
        var elsewhere = published(TestComments.article());
        report(elsewhere, "198.51.100.32", CommentReported.Reason.SPAM);
        assertThat(stored(elsewhere).reported()).isNotNull();
    }

    @Test
    void hideWhileReportedSetForAnArticleHoldsItsReportedCommentUntilAModeratorDecides() {
        String article = TestComments.article();
        putSettings(
                        "/api/moderation/articles/{id}/settings",
                        Map.of("reports", Map.of("hideWhileReported", true)),
                        article)
                .expectBody()
                .jsonPath("$.reports.hideWhileReported")
                .isEqualTo(true);

        var comment = published(article);
        // the properties' notice threshold (1): one notice is enough
        report(comment, "198.51.100.40", CommentReported.Reason.ILLEGAL_CONTENT);

        var hidden = moderatedEvents(comment.commentId(), 2).get(1);
        assertThat(hidden.revision()).isEqualTo(2);
        assertThat(hidden.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(hidden.human()).isFalse();
        assertThat(hidden.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("reports.hidden");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(stored(comment).reported()).isNotNull());

        // the site's comments stay published when reported (the property's default)
        var other = published(TestComments.article());
        report(other, "198.51.100.41", CommentReported.Reason.ILLEGAL_CONTENT);
        assertThat(stored(other).reported()).isNotNull();
        assertThat(stored(other).decision().outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(stored(other).decision().revision()).isEqualTo(1);

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", comment.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "APPROVE", "reason", "Fair comment"))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(moderatedEvents(comment.commentId(), 3).get(2).outcome())
                .isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(stored(comment).reported()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportSettingsOutOfRangeAreRefusedNamingTheField() {
        for (String path : List.of("/api/moderation/settings", "/api/moderation/articles/any-article/settings")) {
            as(Tokens.admin("root"))
                    .put()
                    .uri(path)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("reports", Map.of("threshold", 0, "noticeThreshold", 101)))
                    .exchange()
                    .expectStatus()
                    .isEqualTo(422)
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors[*].field")
                    .value(fields -> assertThat((List<Object>) fields)
                            .containsExactlyInAnyOrder("reports.threshold", "reports.noticeThreshold"));
        }
        as(Tokens.admin("root"))
                .put()
                .uri("/api/moderation/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reports", Map.of("threshold", 101)))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("reports.threshold");
        // nothing was stored
        as(Tokens.admin("root"))
                .get()
                .uri("/api/moderation/settings")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.reports")
                .doesNotExist();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec putSettings(
            String path, Map<String, Object> body, Object... variables) {
        return as(Tokens.admin("root"))
                .put()
                .uri(path, variables)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private CommentModerated published(String article) {
        var comment = automatic.moderate(TestComments.submitted(
                article,
                TestComments.author(),
                "A fair point about the council budget, "
                        + UUID.randomUUID().toString().replace('-', ' '),
                "203.0.113.9"));
        assertThat(comment.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        return comment;
    }

    private void report(CommentModerated comment, String ip, CommentReported.Reason reason) {
        reports.receive(new CommentReported(
                        UUID.randomUUID(),
                        Instant.now(),
                        UUID.randomUUID().toString(),
                        comment.commentId(),
                        comment.articleId(),
                        reason,
                        null,
                        reason == CommentReported.Reason.ILLEGAL_CONTENT
                                ? new CommentReported.Notice("Defamation.", "Grace", "grace@example.org", true)
                                : null,
                        ip))
                .block(WAIT);
    }

    private ModeratedComment stored(CommentModerated comment) {
        return mongo.findById(comment.commentId(), ModeratedComment.class).block(WAIT);
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
                .expectBody(CommentReportsTests.Page.class)
                .returnResult()
                .getResponseBody()
                .items()
                .stream()
                .map(CommentReportsTests.Item::id)
                .toList();
    }
}
