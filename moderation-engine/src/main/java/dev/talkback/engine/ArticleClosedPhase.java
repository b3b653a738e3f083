package dev.talkback.engine;

/** A closed article takes no comments. */
final class ArticleClosedPhase implements Phase {

    static final String CLOSED = "article.closed";

    @Override
    public String name() {
        return "article";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        if (input.settings.closed()) {
            judgement.object(
                    Verdict.REJECT,
                    CLOSED,
                    "The article is closed for comments.",
                    "This article no longer takes comments.");
        }
    }
}
