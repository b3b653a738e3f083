package dev.talkback.engine;

/** An author with more comments rejected than approved (at least two) is held. */
final class TrustPhase implements Phase {

    static final String POOR_HISTORY = "trust.poor-history";

    @Override
    public String name() {
        return "trust";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        AuthorHistory.Record history = input.history();
        if (history.rejected() >= 2 && history.rejected() > history.approved()) {
            judgement.object(
                    Verdict.HOLD,
                    POOR_HISTORY,
                    "The author had " + history.rejected() + " comments rejected and " + history.approved()
                            + " approved.",
                    null);
        }
    }
}
