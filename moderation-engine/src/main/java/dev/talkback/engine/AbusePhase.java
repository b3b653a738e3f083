package dev.talkback.engine;

import java.util.List;

/**
 * The abuse model, when there is one: every category's score is recorded; each at or above the hold threshold adds a
 * reason naming the words that raised it and advice the author can act on. Rejection only where the site set a
 * threshold for it; identity mentions alone are never scored. Rule ids: {@link AbuseCategory#ruleId()}.
 */
final class AbusePhase implements Phase {

    @Override
    public String name() {
        return "abuse model";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        AbuseModel model = input.abuseModel;
        if (model == null) {
            return;
        }
        ModerationSettings settings = input.settings;
        AbuseModel.Assessment assessment = model.assess(input.text);
        for (AbuseCategory c : AbuseCategory.values()) {
            judgement.score(c.scoreKey(), assessment.score(c));
            if (!assessment.evidence(c).isEmpty()) {
                judgement.evidence(c.scoreKey(), assessment.evidence(c));
            }
        }
        Double rejectFrom = settings.abuseRejectFrom();
        for (AbuseCategory c : assessment.atLeast(settings.abuseHoldFrom())) {
            double p = assessment.score(c);
            boolean reject = rejectFrom != null && p >= rejectFrom;
            List<String> words = assessment.evidence(c);
            judgement.object(
                    reject ? Verdict.REJECT : Verdict.HOLD,
                    c.ruleId(),
                    "The abuse model rates this comment "
                            + Phase.percent(p) + " likely to contain " + c.description() + " ("
                            + (reject
                                    ? "rejects from " + Phase.percent(rejectFrom)
                                    : "holds from " + Phase.percent(settings.abuseHoldFrom()))
                            + ")"
                            + (words.isEmpty()
                                    ? "."
                                    : ": "
                                            + String.join(
                                                    ", ",
                                                    words.stream()
                                                            .map(w -> "\"" + w + "\"")
                                                            .toList()) + "."),
                    c.advice());
            judgement.advise(c.advice());
        }
    }
}
