package dev.talkback.engine;

/**
 * One step of the pipeline. A phase looks at the submission and may object; it never throws on bad input.
 */
interface Phase {

    /** @return the objection, or {@code null} when the phase has nothing to say */
    Objection judge(NormalizedText text, Submission submission);

    /**
     * A phase's objection.
     *
     * @param verdict      HOLD or REJECT
     * @param reason       for moderators
     * @param publicReason for the author, when the verdict is REJECT
     */
    record Objection(Verdict verdict, Reason reason, String publicReason) {
    }
}
