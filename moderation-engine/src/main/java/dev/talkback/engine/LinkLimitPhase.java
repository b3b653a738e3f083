package dev.talkback.engine;

/** Holds a comment with more links than the site allows: link-stuffing is the commonest form of comment spam. */
final class LinkLimitPhase implements Phase {

    static final String RULE_ID = "links.too-many";

    private final int maxLinks;

    LinkLimitPhase(int maxLinks) {
        this.maxLinks = maxLinks;
    }

    @Override
    public Objection judge(NormalizedText text, Submission submission) {
        int links = text.links().size();
        if (links <= maxLinks) {
            return null;
        }
        return new Objection(Verdict.HOLD,
                new Reason(RULE_ID, "The comment contains " + links + " links; the limit is " + maxLinks + "."),
                null);
    }
}
