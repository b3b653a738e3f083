package dev.talkback.engine;

/**
 * The spam model, when there is one: its probability is recorded as the {@link #SCORE}; from the site's reject
 * threshold the comment is rejected, between the approve and reject thresholds it is held unless its author is
 * trusted.
 */
final class SpamPhase implements Phase {

    /** Key of the spam probability in {@link Decision#scores()}. */
    static final String SCORE = "spam";

    static final String LIKELY = "spam.likely";
    static final String UNCERTAIN = "spam.uncertain";

    @Override
    public String name() {
        return "spam model";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        SpamModel model = input.spamModel;
        if (model == null) {
            return;
        }
        ModerationSettings settings = input.settings;
        double p = model.spamProbability(input.text);
        judgement.score(SCORE, p);
        if (p >= settings.rejectFrom()) {
            judgement.object(
                    Verdict.REJECT,
                    LIKELY,
                    "The spam filter rates this comment " + Phase.percent(p) + " likely to be spam (rejects from "
                            + Phase.percent(settings.rejectFrom()) + ").",
                    "The comment looks like spam.");
        } else if (p >= settings.approveBelow() && !input.trusted()) {
            judgement.object(
                    Verdict.HOLD,
                    UNCERTAIN,
                    "The spam filter is unsure: " + Phase.percent(p) + " likely to be spam (approves below "
                            + Phase.percent(settings.approveBelow()) + ").",
                    null);
        }
    }
}
