package dev.talkback.engine;

/** What the pipeline decides; the order is from mildest to strictest. */
public enum Verdict {
    APPROVE,
    HOLD,
    REJECT;

    Verdict strictest(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
