package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;

/** Bans and settings, set through the API, change what the automatic moderation decides next. */
class ModerationRulesTests extends EmbeddedServiceTests {

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void aBanRejectsTheAuthorsHeldAndPublishedCommentsAndTheirNextOne() {
        String email = "troll-" + UUID.randomUUID() + "@example.org";
        var published = submit(article(), email, "Hello", "198.51.100.4");
        var held = submit(article(), email.toUpperCase(), "a https://a.x https://b.x https://c.x", "198.51.100.4");
        var bystander = submit(article(), "friend@example.org", "Hi", "198.51.100.5");
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(held.outcome()).isEqualTo(CommentModerated.Outcome.HELD);

        as(Tokens.admin("root"))
                .post()
                .uri("/api/moderation/bans")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "EMAIL", "value", email, "reason", "abuse", "rejectExisting", true))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.ban.type")
                .isEqualTo("EMAIL")
                .jsonPath("$.existing.rejected.length()")
                .isEqualTo(2)
                .jsonPath("$.existing.failed.length()")
                .isEqualTo(0);

        for (var comment : List.of(published, held)) {
            var events = moderatedEvents(comment.commentId(), 2);
            assertThat(events.get(1).outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
            assertThat(events.get(1).human()).isTrue();
            assertThat(events.get(1).revision()).isEqualTo(2);
        }
        assertThat(stored(bystander.commentId()).decision().revision()).isEqualTo(1);

        var next = submit(article(), email, "Me again", "192.0.2.1");
        assertThat(next.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(next.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("ban.email");
    }

    @Test
    void aCidrBanCatchesAnAddressInTheRangeUntilItIsLifted() {
        String id = as(Tokens.admin("root"))
                                .post()
                                .uri("/api/moderation/bans")
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("type", "CIDR", "value", "203.0.113.128/25", "reason", "botnet"))
                                .exchange()
                                .expectStatus()
                                .isCreated()
                                .expectBody(Map.class)
                                .returnResult()
                                .getResponseBody()
                                .get("ban")
                        instanceof Map<?, ?> ban
                ? String.valueOf(ban.get("id"))
                : "";

        assertThat(submit(article(), "in@example.org", "Hi", "203.0.113.200").reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .containsExactly("ban.network");
        assertThat(submit(article(), "out@example.org", "Hi", "203.0.113.100").outcome())
                .isEqualTo(CommentModerated.Outcome.APPROVED);

        as(Tokens.admin("root"))
                .delete()
                .uri("/api/moderation/bans/{id}", id)
                .exchange()
                .expectStatus()
                .isNoContent();
        assertThat(submit(article(), "in@example.org", "Hi", "203.0.113.200").outcome())
                .isEqualTo(CommentModerated.Outcome.APPROVED);
    }

    @Test
    void articleSettingsChangeTheNextDecision() {
        String article = article();
        var admin = as(Tokens.admin("root"));
        // texts differ: the same text from several authors would be held as a campaign (duplicate.across-authors)
        assertThat(submit(article, fresh(), "one https://a.x", null).outcome())
                .isEqualTo(CommentModerated.Outcome.APPROVED);

        admin.put()
                .uri("/api/moderation/articles/{id}/settings", article)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("maxLinks", 0, "bannedWords", List.of("Pineapple"), "suspectWords", List.of("maybe")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.maxLinks")
                .isEqualTo(0)
                .jsonPath("$.updatedBy")
                .isEqualTo("root");

        assertThat(submit(article, fresh(), "two https://b.x", null).reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .containsExactly("links.too-many");
        assertThat(submit(article, fresh(), "I like pineapple", null).reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .containsExactly("words.banned");
        assertThat(submit(article, fresh(), "maybe so", null).reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .containsExactly("words.suspect");
        // the site's banned words still apply; another article is untouched
        assertThat(submit(article, fresh(), "casino", null).outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(submit(article(), fresh(), "three https://c.x", null).outcome())
                .isEqualTo(CommentModerated.Outcome.APPROVED);

        admin.put()
                .uri("/api/moderation/articles/{id}/settings", article)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("mode", "PRE"))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(submit(article, fresh(), "fine", null).reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .containsExactly("mode.pre-moderation");

        admin.put()
                .uri("/api/moderation/articles/{id}/settings", article)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("closed", true))
                .exchange()
                .expectStatus()
                .isOk();
        var closed = submit(article, fresh(), "fine", null);
        assertThat(closed.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(closed.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("article.closed");

        admin.get()
                .uri("/api/moderation/audit?target=article:{id}", article)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(3)
                .jsonPath("$.items[0].who")
                .isEqualTo("root")
                .jsonPath("$.items[0].action")
                .isEqualTo("settings.update");
    }

    @Test
    void settingsWrittenToTheStoreReachTheDecisionsWithinSeconds() {
        // as if another instance had changed them: straight into MongoDB, no API call on this instance
        String article = article();
        mongo.save(new dev.talkback.moderation.rules.Settings(
                        "article:" + article, "PRE", null, null, null, null, null, Instant.now(), "elsewhere"))
                .block(WAIT);

        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(submit(article, fresh(), "fine", null).reasons())
                                .extracting(CommentModerated.Reason::ruleId)
                                .containsExactly("mode.pre-moderation"));
    }

    @Test
    void invalidBansAndSettingsAreRefusedNamingTheField() {
        var admin = as(Tokens.admin("root"));
        admin.post()
                .uri("/api/moderation/bans")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "CIDR", "value", "10.0.0.0/33", "reason", "x"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("value");
        admin.post()
                .uri("/api/moderation/bans")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "CIDR", "value", "example.org/24", "reason", "x"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("value");
        admin.post()
                .uri("/api/moderation/bans")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "IP", "value", "not-an-ip", "reason", "x"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("value");
        admin.post()
                .uri("/api/moderation/bans")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "COUNTRY", "value", "x", "reason", "x"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("type");
        admin.put()
                .uri("/api/moderation/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("thresholds", Map.of("hold", 0.9, "reject", 0.5)))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("thresholds.ordered");
        admin.put()
                .uri("/api/moderation/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("thresholds", Map.of("hold", 1.5, "reject", 2), "mode", "SOMETIMES", "maxLinks", -1))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat((List<Object>) fields)
                        .contains("maxLinks", "mode", "thresholds.hold", "thresholds.reject"));
    }

    private CommentModerated submit(String article, String email, String text, String ip) {
        var submitted = new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                article,
                null,
                new CommentSubmitted.Author("Ada Reader", email, null, false),
                text,
                ip,
                "curl/8");
        return automatic.moderate(submitted);
    }

    private ModeratedComment stored(String id) {
        return mongo.findById(id, ModeratedComment.class).block(WAIT);
    }

    /** A new author each time: one author's many comments within minutes would be held as a flood. */
    private static String fresh() {
        return "s-" + UUID.randomUUID() + "@example.org";
    }

    private static String article() {
        return "article-" + UUID.randomUUID();
    }
}
