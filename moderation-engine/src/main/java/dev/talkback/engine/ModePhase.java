package dev.talkback.engine;

/** On a pre-moderated article every comment of an author not yet trusted is held. */
final class ModePhase implements Phase {

    static final String PRE_MODERATION = "mode.pre-moderation";

    @Override
    public String name() {
        return "mode";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        ModerationSettings settings = input.settings;
        if (settings.mode() == ModerationSettings.Mode.PRE && !input.trusted()) {
            AuthorHistory.Record history = input.history();
            judgement.object(
                    Verdict.HOLD,
                    PRE_MODERATION,
                    "The article is pre-moderated and the author is not yet " + "trusted (" + history.approved()
                            + " of " + settings.trustedAfter() + " approved comments).",
                    null);
        }
    }
}
