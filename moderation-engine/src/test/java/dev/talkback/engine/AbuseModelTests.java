package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The abuse model on sentences written for these tests (none is in a corpus), by the cases word lists fail:
 * insults, identity attacks and threats held; negation, counter-speech, quoting, identity terms in neutral or proud
 * sentences, swearing at nobody and news about violence not held; obfuscated spellings still held.
 */
class AbuseModelTests {

    private static final AbuseModel MODEL = AbuseModel.shipped();
    private static final double HOLD = ModerationSettings.DEFAULT_ABUSE_HOLD_FROM;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "You are an absolute moron and everyone knows it.",
                "The author of this piece is a complete imbecile.",
                "What a pathetic excuse for a journalist you are.",
                "Go back to school, you ignorant clown.",
                "Nobody asked for your opinion, dumbass.",
                "The editor is a lying piece of shit.",
                "Suck my dick, loser."
            })
    void insultsAreHeldAsInsults(String text) {
        assertThat(MODEL.assess(text).atLeast(HOLD)).as(text).contains(AbuseCategory.INSULT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Muslims are vermin and should be thrown out of the country.",
                "Women are too stupid to vote.",
                "All immigrants are filthy parasites.",
                "Gay people are disgusting.",
                "Jews control the media, those rats."
            })
    void attacksOnGroupsAreIdentityAttacks(String text) {
        assertThat(MODEL.assess(text).atLeast(HOLD)).as(text).contains(AbuseCategory.IDENTITY);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I will find you and kill you.",
                "Someone should shoot the mayor.",
                "You deserve to die, you traitor.",
                "I hope you get raped.",
                "We should hang every one of them.",
                "Kill yourself."
            })
    void threatsAreThreats(String text) {
        assertThat(MODEL.assess(text).atLeast(HOLD)).as(text).contains(AbuseCategory.THREAT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Y0u are a st00pid 1di0t.",
                "You are a fuuuuucking moron.",
                "You're an idoit.",
                "you are a m o r o n",
                "Yоu аrе аn іdіоt",
                "F*ck you and your stupid article."
            })
    void obfuscatedInsultsAreStillHeld(String text) {
        assertThat(MODEL.assess(text).highest()).as(text).isGreaterThanOrEqualTo(HOLD);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I don't hate Muslims, I hate the violence done in any name.",
                "I would never hurt anyone.",
                "Calling women \"stupid\" is sexist and wrong.",
                "He called me an idiot, which I found hurtful.",
                "Saying that gay people are disgusting is hateful and should be moderated.",
                "Stop calling immigrants parasites.",
                "I am a proud gay man and I loved this article.",
                "As a Muslim woman, I found the report fair and balanced.",
                "Black voters turned out in record numbers.",
                "Trans people deserve the same healthcare as everyone else.",
                "Queer artists are reclaiming the word in a new exhibition.",
                "This is fucking brilliant reporting, thank you.",
                "Holy shit, what a game last night!",
                "The new budget is terrible for pensioners.",
                "The minister made a stupid decision on rail funding.",
                "The killer was sentenced to life in prison.",
                "Police said the attacker shot two people before fleeing.",
                "We will beat them at the next election.",
                "The storm will kill crops across the region.",
                "I disagree with the author: the numbers on housing do not add up."
            })
    void negationCounterSpeechIdentityAndNewsAreNotHeld(String text) {
        assertThat(MODEL.assess(text).atLeast(HOLD)).as(text).isEmpty();
    }

    @Test
    void identityTermsAloneScoreTheSameWhateverTheGroup() {
        List<Double> scores = new ArrayList<>();
        for (String group : List.of("gay", "muslim", "black", "jewish", "white", "christian", "deaf", "trans")) {
            scores.add(MODEL.assess("My neighbour is a " + group + " teacher.").highest());
        }
        assertThat(scores).allMatch(s -> s < HOLD);
        assertThat(scores.stream().distinct()).hasSize(1);
    }

    @Test
    void theEvidenceNamesTheWordsThatRaisedTheScore() {
        AbuseModel.Assessment a = MODEL.assess("Honestly, you are a stupid idiot.");
        assertThat(a.evidence(AbuseCategory.INSULT)).isNotEmpty().anyMatch(w -> w.contains("idiot"));
    }

    @Test
    void moderatorsLabelsTeachItANewInsult() {
        String text = "you are such a florbix";
        assertThat(MODEL.assess(text).highest()).isLessThan(HOLD);
        List<AbuseModel.LabeledComment> labels = List.of(
                new AbuseModel.LabeledComment(true, AbuseCategory.INSULT, "what a florbix you are"),
                new AbuseModel.LabeledComment(true, AbuseCategory.INSULT, "only a florbix like you would say that"),
                new AbuseModel.LabeledComment(true, AbuseCategory.INSULT, "shut it, florbix"));
        AbuseModel retrained = MODEL.retrainedWith(labels);
        assertThat(retrained.assess(text).score(AbuseCategory.INSULT)).isGreaterThanOrEqualTo(HOLD);
        assertThat(retrained.version()).isNotEqualTo(MODEL.version());
    }

    @Test
    void theEngineHoldsForAbuseWithAReasonAndRejectsOnlyWhereASiteSaysSo() {
        ModerationEngine engine =
                ModerationEngine.builder().abuseModel(MODEL).checkEmail(false).build();
        Submission s = new Submission("c1", "a1", "reader", null, null, "You are a stupid idiot, you moron.", null);
        Decision held = engine.decide(s, ModerationSettings.defaults());
        assertThat(held.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(held.reasons()).extracting(Reason::ruleId).contains("abuse.insult");
        assertThat(held.publicReason()).isEqualTo(AbuseCategory.INSULT.advice());
        assertThat(held.scores()).containsKeys("abuse.insult", "abuse.identity", "abuse.threat", "abuse.obscene");
        assertThat(held.evidence().get("abuse.insult")).isNotEmpty();
        Decision rejected = engine.decide(s, ModerationSettings.defaults().withAbuseThresholds(0.5, 0.6));
        assertThat(rejected.verdict()).isEqualTo(Verdict.REJECT);
    }
}
