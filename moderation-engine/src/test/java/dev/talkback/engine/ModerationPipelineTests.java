package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ModerationPipelineTests {

    private final ModerationPipeline pipeline = ModerationPipeline.of(new EmailAddressPolicy(),
            new ModerationPipeline.Rules(2, Set.of("viagra", "Casino")));

    @Test
    void approvesAnOrdinaryComment() {
        Decision decision = pipeline.decide(comment("ada@example.org", "A thaw would be welcome. See https://example.org"));

        assertThat(decision.verdict()).isEqualTo(Verdict.APPROVE);
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly(Decision.PASSED);
        assertThat(decision.publicReason()).isNull();
    }

    @Test
    void rejectsABannedWordWhateverItsCaseOrWidth() {
        Decision decision = pipeline.decide(comment("ada@example.org", "Cheap ＶＩＡＧＲＡ here"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("words.banned");
        assertThat(decision.reasons().get(0).message()).contains("viagra");
        assertThat(decision.publicReason()).isNotBlank();
    }

    @Test
    void doesNotRejectAWordThatMerelyContainsABannedOne() {
        assertThat(pipeline.decide(comment("ada@example.org", "Casinos closed in town")).verdict())
                .isEqualTo(Verdict.APPROVE);
    }

    @Test
    void seesThroughZeroWidthCharacters() {
        assertThat(pipeline.decide(comment("ada@example.org", "ca\u200Bsino")).verdict()).isEqualTo(Verdict.REJECT);
    }

    @Test
    void holdsACommentWithMoreLinksThanAllowed() {
        Decision decision = pipeline.decide(comment("ada@example.org",
                "http://a.example http://b.example www.c.example"));

        assertThat(decision.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("links.too-many");
        assertThat(decision.reasons().get(0).message()).contains("3 links").contains("limit is 2");
    }

    @Test
    void rejectsAnInvalidAddressEvenIfTheIntakeWasBypassed() {
        Decision decision = pipeline.decide(comment("not-an-address", "Hello"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("email.invalid");
    }

    @Test
    void keepsEveryReasonWhenSeveralRulesObject() {
        Decision decision = pipeline.decide(comment("ada@example.org",
                "casino http://a.example http://b.example http://c.example"));

        assertThat(decision.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("words.banned");
    }

    @Test
    void recordsTheVersionOfTheRules() {
        Decision decision = pipeline.decide(comment("ada@example.org", "fine"));
        ModerationPipeline other = ModerationPipeline.of(new EmailAddressPolicy(),
                new ModerationPipeline.Rules(2, Set.of("viagra")));

        assertThat(decision.rulesVersion()).isNotBlank()
                .isNotEqualTo(other.decide(comment("ada@example.org", "fine")).rulesVersion());
    }

    @Test
    void survivesHostileText() {
        for (String text : new String[] {"", "\uD800", "🙂🙂🙂", "\u202Eevil", "x".repeat(100_000)}) {
            assertThat(pipeline.decide(comment("ada@example.org", text)).verdict()).isNotNull();
        }
    }

    private static Submission comment(String email, String text) {
        return new Submission("c1", "a1", "Ada", email, null, text, "203.0.113.7");
    }
}
