package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.engine.AbuseCategory;
import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.ModerationSettings;
import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import dev.talkback.moderation.rules.ActiveRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.MediaType;

/**
 * The abuse model inside the service, on the embedded broker and mongo-java-server: holds with their reasons, scores,
 * evidence and advice to the author; the site's and an article's thresholds; and the model learning from moderators'
 * ABUSE and NOT_ABUSE labels without a restart.
 */
class AbuseModerationTests extends EmbeddedServiceTests {

    private static final String INSULT = "You are a stupid idiot, go to hell you moron";
    private static final String THREAT = "I will kill you";

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    ModelLearning learning;

    @Autowired
    ModerationEngine engine;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    ActiveRules rules;

    private List<Document> settingsBefore;

    @BeforeEach
    void keepSettings() {
        settingsBefore = mongo.findAll(Document.class, "settings").collectList().block(WAIT);
        // the same abusive text is sent many times here, each time with a marker word: only exact repeats would be
        // duplicates, and those are not what these tests are about
        putSettings("/api/moderation/settings", Map.of("duplicates", Map.of("windowHours", 1, "maxDistanceBits", 0)));
    }

    @AfterEach
    void restoreSettings() {
        mongo.remove(new Query(), "settings").block(WAIT);
        if (!settingsBefore.isEmpty()) {
            mongo.insert(settingsBefore, "settings").collectList().block(WAIT);
        }
        rules.refresh().block(WAIT);
    }

    @Test
    void anAbusiveCommentIsHeldAndTheModeratorSeesWhyAndTheAuthorWhatToChange() {
        String article = TestComments.article();
        var held = submit(article, insult());
        assertThat(held.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(held.reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .contains("abuse.insult")
                .allMatch(rule -> rule.startsWith("abuse."));
        // the author is told what to change: the published event carries it to comment-service's status page
        // (end to end in system-tests' ModeratorDecisionSystemTests)
        assertThat(held.publicReason()).contains(AbuseCategory.INSULT.advice());

        // stored: every category's score, and the words behind the insult score
        var decision = stored(held.commentId()).decision();
        assertThat(decision.scores())
                .containsKeys("spam", "abuse.insult", "abuse.identity", "abuse.threat", "abuse.obscene");
        assertThat(decision.scores().get("abuse.insult"))
                .isGreaterThanOrEqualTo(ModerationSettings.DEFAULT_ABUSE_HOLD_FROM);
        assertThat(decision.evidence().get("abuse.insult"))
                .isNotEmpty()
                .anyMatch(w -> w.contains("idiot") || w.contains("moron") || w.contains("stupid"));

        // the moderator's item, one and in the queue filtered by the reason, shows both
        as(Tokens.moderator("mod"))
                .get()
                .uri("/api/moderation/comments/{id}", held.commentId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.decision.scores['abuse.insult']")
                .value(p -> assertThat(((Number) p).doubleValue())
                        .isGreaterThanOrEqualTo(ModerationSettings.DEFAULT_ABUSE_HOLD_FROM))
                .jsonPath("$.decision.scores['abuse.threat']")
                .isNumber()
                .jsonPath("$.decision.evidence['abuse.insult']")
                .value(words -> assertThat((List<?>) words)
                        .isEqualTo(decision.evidence().get("abuse.insult")))
                .jsonPath("$.decision.publicReason")
                .isEqualTo(held.publicReason())
                .jsonPath("$.history[0].evidence['abuse.insult']")
                .isArray();
        as(Tokens.moderator("mod"))
                .get()
                .uri("/api/moderation/comments?status=HELD&articleId={a}&reason=abuse.insult", article)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[*].id")
                .isEqualTo(List.of(held.commentId()))
                .jsonPath("$.items[0].decision.scores['abuse.insult']")
                .isNumber()
                .jsonPath("$.items[0].decision.evidence['abuse.insult']")
                .isArray();
        as(Tokens.moderator("mod"))
                .get()
                .uri("/api/moderation/comments?status=HELD&articleId={a}&reason=spam.likely", article)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items")
                .isEmpty();

        // a threat, in another article: each category's rule id is a filter of its own
        String other = TestComments.article();
        var threat = submit(other, THREAT + " " + marker());
        assertThat(threat.reasons()).extracting(CommentModerated.Reason::ruleId).contains("abuse.threat");
        as(Tokens.moderator("mod"))
                .get()
                .uri("/api/moderation/comments?status=HELD&articleId={a}&reason=abuse.threat", other)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[*].id")
                .isEqualTo(List.of(threat.commentId()));
    }

    @Test
    void anIdentityMentionAloneIsApproved() {
        var mention = submit(TestComments.article(), "I am a proud gay muslim woman");
        assertThat(mention.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(mention.publicReason()).isNull();
        assertThat(stored(mention.commentId()).decision().scores().get("abuse.identity"))
                .isLessThan(ModerationSettings.DEFAULT_ABUSE_HOLD_FROM);
    }

    @Test
    void aSiteThatTurnsRejectionOnRejectsAndAnArticleMayHoldAgain() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            texts.add(insult());
        }
        // rejected from the lowest score of these texts (each slightly different)
        double score = texts.stream()
                .mapToDouble(t -> engine.abuseModel().orElseThrow().assess(t).highest())
                .min()
                .orElseThrow();
        assertThat(score)
                .isGreaterThanOrEqualTo(ModerationSettings.DEFAULT_ABUSE_HOLD_FROM)
                .isLessThan(1.0);
        String article = TestComments.article();
        // rejection is off unless a site turns it on
        assertThat(submit(article, texts.get(0)).outcome()).isEqualTo(CommentModerated.Outcome.HELD);

        putSettings(
                "/api/moderation/settings",
                Map.of("abuseRejectFrom", score, "duplicates", Map.of("windowHours", 1, "maxDistanceBits", 0)));
        as(Tokens.admin("root"))
                .get()
                .uri("/api/moderation/settings")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.abuseRejectFrom")
                .isEqualTo(score)
                .jsonPath("$.abuseHoldFrom")
                .doesNotExist();
        var rejected = submit(article, texts.get(1));
        assertThat(rejected.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(rejected.reasons())
                .extracting(CommentModerated.Reason::ruleId)
                .contains("abuse.insult");
        // what the author is told: the advice of the category that rejected it
        assertThat(rejected.publicReason())
                .isIn(Arrays.stream(AbuseCategory.values())
                        .map(AbuseCategory::advice)
                        .toList());
        // an identity mention alone is still approved
        assertThat(submit(article, "As a Black woman and a Jew, I found this piece moving")
                        .outcome())
                .isEqualTo(CommentModerated.Outcome.APPROVED);

        // an article's own rejection threshold overrides the site's; its hold threshold still follows the site
        putSettings("/api/moderation/articles/" + article + "/settings", Map.of("abuseRejectFrom", 1.0));
        assertThat(submit(article, texts.get(2)).outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(submit(TestComments.article(), texts.get(3)).outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        // and an article may hold only from a higher score than the site (then it rejects from there too)
        putSettings("/api/moderation/articles/" + article + "/settings", Map.of("abuseHoldFrom", 1.0));
        var approved = submit(article, texts.get(4));
        assertThat(approved.outcome()).as("%s", approved.reasons()).isEqualTo(CommentModerated.Outcome.APPROVED);
    }

    @Test
    void abuseThresholdsAreValidated() {
        putInvalid(Map.of("abuseHoldFrom", 0, "abuseRejectFrom", 1.5), "abuseHoldFrom", "abuseRejectFrom");
        putInvalid(Map.of("abuseHoldFrom", 0.8, "abuseRejectFrom", 0.6), "abuseOrdered");
        putInvalid(Map.of("abuseHoldFrom", -1), "abuseHoldFrom");
        as(Tokens.admin("root"))
                .put()
                .uri("/api/moderation/articles/{a}/settings", TestComments.article())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("abuseRejectFrom", "high"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("abuseRejectFrom");
    }

    @Test
    void abuseLabelsAreValidatedAndListedInTheMessages() {
        String id = submit(TestComments.article(), "A fair point about the bus lanes.")
                .commentId();
        decide(id, Map.of("action", "RUDE"))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("action")
                .jsonPath("$.errors[0].message")
                .value(m -> assertThat((String) m).contains("ABUSE", "NOT_ABUSE"));
        decide(id, Map.of("action", "ABUSE", "category", "rude"))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("category")
                .jsonPath("$.errors[0].message")
                .value(m -> assertThat((String) m).contains("insult", "obscene"));
        decide(id, Map.of("action", "NOT_ABUSE", "category", "insult"))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("categoryWithAbuse");
        as(Tokens.moderator("mod"))
                .post()
                .uri("/api/moderation/comments/decisions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ids", List.of(id), "action", "APPROVE", "category", "threat"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("categoryWithAbuse");
        // nothing was decided
        assertThat(stored(id).decision().revision()).isEqualTo(1);
    }

    @Test
    void moderatorsAbuseAndNotAbuseLabelsRetrainTheModelWithoutARestart() {
        String versionBefore = engine.abuseModel().orElseThrow().version();
        // a made-up word the shipped model cannot know
        var before = submit(TestComments.article(), "you are such a florbix");
        assertThat(before.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);

        List<String> labelled = new ArrayList<>();
        try {
            learnAndUnlearn(before, labelled, versionBefore);
        } finally {
            // the other test classes share this service: leave its model as the labels of the others make it
            mongo.updateMulti(
                            Query.query(Criteria.where("_id").in(labelled)),
                            new Update().unset("label").unset("labelCategory"),
                            ModeratedComment.class)
                    .block(WAIT);
            learning.retrainNow();
        }
    }

    private void learnAndUnlearn(CommentModerated before, List<String> labelled, String versionBefore) {
        for (String text : List.of(
                "honestly the mayor is a florbix",
                "what a florbix this columnist is",
                "only a florbix would write this",
                "stop being such a florbix",
                "the florbix strikes again tonight")) {
            labelled.add(submit(TestComments.article(), text).commentId());
        }
        labelled.add(before.commentId());
        // one through the bulk endpoint, the others one by one
        as(Tokens.moderator("mod"))
                .post()
                .uri("/api/moderation/comments/decisions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ids", List.of(labelled.get(0)), "action", "ABUSE", "category", "insult"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.results[0].result")
                .isEqualTo("OK")
                .jsonPath("$.results[0].decision.reasons[0].ruleId")
                .isEqualTo("human.abuse");
        for (String id : labelled.subList(1, labelled.size())) {
            decide(id, Map.of("action", "ABUSE", "category", "insult", "reason", "a slur in disguise"))
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.label")
                    .isEqualTo("ABUSE")
                    .jsonPath("$.labelCategory")
                    .isEqualTo("insult")
                    .jsonPath("$.decision.outcome")
                    .isEqualTo("REJECTED")
                    .jsonPath("$.decision.reasons[0].ruleId")
                    .isEqualTo("human.abuse")
                    .jsonPath("$.decision.publicReason")
                    .isEqualTo("A moderator decided not to publish this comment: it contains an insult.");
        }
        assertThat(stored(labelled.get(0)).labelCategory()).isEqualTo("insult");

        String versionAfter = learning.retrainNow().abuse();
        assertThat(versionAfter).isNotEqualTo(versionBefore);
        var after = submit(TestComments.article(), "you absolute florbix, read the article");
        assertThat(after.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(after.reasons()).extracting(CommentModerated.Reason::ruleId).contains("abuse.insult");
        var decision = stored(after.commentId()).decision();
        assertThat(decision.modelVersion()).endsWith("+" + versionAfter);
        assertThat(decision.evidence().get("abuse.insult")).anyMatch(w -> w.contains("florbix"));
        // unchanged labels: no retraining, same model
        assertThat(learning.retrainNow().abuse()).isEqualTo(versionAfter);

        // the reverse: moderators say the held text and the others are not abusive after all
        labelled.add(after.commentId());
        for (String id : labelled) {
            decide(id, Map.of("action", "NOT_ABUSE"))
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.label")
                    .isEqualTo("NOT_ABUSE")
                    .jsonPath("$.labelCategory")
                    .doesNotExist()
                    .jsonPath("$.decision.outcome")
                    .isEqualTo("APPROVED")
                    .jsonPath("$.decision.reasons[0].ruleId")
                    .isEqualTo("human.not-abuse");
        }
        String versionReversed = learning.retrainNow().abuse();
        assertThat(versionReversed).isNotEqualTo(versionAfter);
        var again = submit(TestComments.article(), "you absolute florbix, read the article");
        assertThat(again.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(again.reasons()).extracting(CommentModerated.Reason::ruleId).noneMatch(r -> r.startsWith("abuse."));
    }

    @Test
    void scoreKeysWithDotsAreStoredWithoutThem() {
        String id = submit(TestComments.article(), "Thanks, a clear explanation of the budget.")
                .commentId();
        Document raw = mongo.findOne(Query.query(Criteria.where("_id").is(id)), Document.class, "comments")
                .block(WAIT);
        Document scores = raw.get("decision", Document.class).get("scores", Document.class);
        assertThat(scores.keySet()).contains("spam", "abuse\uFF0Einsult").noneMatch(k -> k.contains("."));
        // and read back with the dot
        assertThat(stored(id).decision().scores()).containsKey("abuse.insult");
    }

    /** The obvious insult, with a marker word that makes each one a different text. */
    private static String insult() {
        return INSULT + " " + marker();
    }

    private static String marker() {
        return "ref" + TestComments.marker();
    }

    private CommentModerated submit(String article, String text) {
        return automatic.moderate(TestComments.submitted(article, TestComments.author(), text, null));
    }

    private ModeratedComment stored(String id) {
        return mongo.findById(id, ModeratedComment.class).block(WAIT);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec decide(
            String id, Map<String, Object> body) {
        return as(Tokens.moderator("mod"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private void putSettings(String path, Map<String, Object> body) {
        as(Tokens.admin("root"))
                .put()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @SuppressWarnings("unchecked")
    private void putInvalid(Map<String, Object> body, String... fields) {
        as(Tokens.admin("root"))
                .put()
                .uri("/api/moderation/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(found -> assertThat((List<Object>) found).containsExactlyInAnyOrder((Object[]) fields));
    }
}
