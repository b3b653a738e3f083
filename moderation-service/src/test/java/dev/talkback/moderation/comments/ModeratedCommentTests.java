package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.engine.Decision;
import dev.talkback.engine.Reason;
import dev.talkback.engine.Verdict;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModeratedCommentTests {

    private static final ModerationProperties.Statements STATEMENTS =
            new ModerationProperties.Statements("the site's comment rules", "Write to the editors.");

    private static final UUID SUBMITTED_EVENT = UUID.fromString("6f1c2a4e-8d3b-4b7a-9c1e-2f5a7d9b0c11");
    private static final UUID MODERATED_EVENT = UUID.fromString("0b8e6f7a-1c2d-4e3f-8a9b-0c1d2e3f4a5b");

    private static final AddressKeys KEYS = new AddressKeys("a test secret of some length", "test.address-secret");
    private static final String KEY = KEYS.of("ada@example.org");

    private final CommentSubmitted submitted = new CommentSubmitted(
            SUBMITTED_EVENT,
            Instant.parse("2026-11-28T10:15:30.123456789Z"),
            "c-1",
            "article-1",
            "c-0",
            new CommentSubmitted.Author("Ada Reader", "ada@example.org", "https://ada.example.org", true, true),
            "A thaw would be welcome.",
            "203.0.113.7",
            "Mozilla/5.0");

    @Test
    void storesTheCommentAndTheAutomaticDecisionAsRevisionOne() {
        var decision = new Decision(
                Verdict.REJECT,
                List.of(new Reason("words.banned", "Banned words: casino.")),
                "Words that are not allowed.",
                "links=3;banned=1");

        var comment = ModeratedComment.decidedAutomatically(
                submitted, decision, Instant.parse("2026-11-28T10:15:31.456789Z"), MODERATED_EVENT, STATEMENTS, KEY);

        assertThat(comment.id()).isEqualTo("c-1");
        assertThat(comment.articleId()).isEqualTo("article-1");
        assertThat(comment.parentId()).isEqualTo("c-0");
        // the address, IP address and user agent are not part of the comment (its CommentClient holds them)
        assertThat(comment.author())
                .isEqualTo(new ModeratedComment.Author("Ada Reader", "https://ada.example.org", true, true));
        assertThat(comment.emailKey()).isEqualTo(KEY).doesNotContain("ada");
        assertThat(comment.submittedEventId()).isEqualTo(SUBMITTED_EVENT.toString());
        // kept to the millisecond, as MongoDB stores instants
        assertThat(comment.submittedAt()).isEqualTo(Instant.parse("2026-11-28T10:15:30.123Z"));
        assertThat(comment.decision())
                .isEqualTo(new ModerationDecision(
                        1,
                        CommentModerated.Outcome.REJECTED,
                        false,
                        List.of(new ModerationDecision.Reason("words.banned", "Banned words: casino.")),
                        "Words that are not allowed.",
                        "links=3;banned=1",
                        Instant.parse("2026-11-28T10:15:31.456Z"),
                        MODERATED_EVENT.toString(),
                        null,
                        new CommentModerated.Statement(
                                CommentModerated.Statement.Facts.AUTOMATED_CHECK,
                                true,
                                true,
                                CommentModerated.Statement.Ground.TERMS,
                                "the site's comment rules",
                                "Words that are not allowed.",
                                "Write to the editors.")));
        assertThat(comment.label()).isNull();
        assertThat(comment.claim()).isNull();
        assertThat(comment.publishPending()).isNull();
        assertThat(comment.history()).containsExactly(comment.decision());
    }

    @Test
    void mapsEveryVerdictToAnOutcome() {
        assertThat(ModeratedComment.outcomeOf(Verdict.APPROVE)).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(ModeratedComment.outcomeOf(Verdict.HOLD)).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(ModeratedComment.outcomeOf(Verdict.REJECT)).isEqualTo(CommentModerated.Outcome.REJECTED);
    }

    @Test
    void givesThePipelineWhatItJudges() {
        var submission = ModeratedComment.submissionOf(submitted);

        assertThat(submission.commentId()).isEqualTo("c-1");
        assertThat(submission.articleId()).isEqualTo("article-1");
        assertThat(submission.authorName()).isEqualTo("Ada Reader");
        assertThat(submission.email()).isEqualTo("ada@example.org");
        assertThat(submission.website()).isEqualTo("https://ada.example.org");
        assertThat(submission.text()).isEqualTo("A thaw would be welcome.");
        assertThat(submission.clientIp()).isEqualTo("203.0.113.7");
    }

    @Test
    void announcesTheCurrentDecisionWithThePublicPartAndTheContact() {
        var decision = new Decision(
                Verdict.HOLD,
                List.of(new Reason("links.too-many", "5 links; the limit is 3.")),
                null,
                "links=3;banned=0");
        var comment = ModeratedComment.decidedAutomatically(
                submitted, decision, Instant.parse("2026-11-28T10:15:31.456Z"), MODERATED_EVENT, STATEMENTS, KEY);

        var event = comment.currentDecisionEvent("ada@example.org");

        assertThat(event)
                .isEqualTo(new CommentModerated(
                        MODERATED_EVENT,
                        Instant.parse("2026-11-28T10:15:31.456Z"),
                        "c-1",
                        "article-1",
                        1,
                        CommentModerated.Outcome.HELD,
                        false,
                        List.of(new CommentModerated.Reason("links.too-many", "5 links; the limit is 3.")),
                        null,
                        new CommentModerated.PublicComment(
                                "c-0",
                                "Ada Reader",
                                "https://ada.example.org",
                                "A thaw would be welcome.",
                                Instant.parse("2026-11-28T10:15:30.123Z")),
                        new CommentModerated.AuthorContact("ada@example.org", true, true)));
        // the same document gives the same event every time: a re-publication is a duplicate, not a new decision
        assertThat(comment.currentDecisionEvent("ada@example.org")).isEqualTo(event);
        // once the address is no longer held, the event has no contact: no mail
        assertThat(comment.currentDecisionEvent(null).contact()).isNull();
    }

    @Test
    void keepsTheSubmissionsClientDataApart() {
        var client = CommentClient.of(submitted, Instant.parse("2026-11-28T10:15:31.456789Z"));

        assertThat(client)
                .isEqualTo(new CommentClient(
                        "c-1",
                        "ada@example.org",
                        "203.0.113.7",
                        "Mozilla/5.0",
                        Instant.parse("2026-11-28T10:15:31.456Z")));
        assertThat(client.toString()).doesNotContain("ada@example.org").doesNotContain("203.0.113.7");
    }

    @Test
    void neverPrintsTheEmailAddress() {
        var comment = ModeratedComment.decidedAutomatically(
                submitted,
                new Decision(Verdict.APPROVE, List.of(new Reason(Decision.PASSED, "ok")), null, "v"),
                Instant.now(),
                MODERATED_EVENT,
                STATEMENTS,
                KEY);

        assertThat(comment.toString()).doesNotContain("ada@example.org");
    }
}
