package dev.talkback.comments.published;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** When the author of a rejected comment may ask for a human review: once, within six months of the decision. */
public final class Appeals {

    /** How long after the decision an appeal is accepted (Art. 20(1) DSA: at least six months). */
    public static final Duration WINDOW = Duration.ofDays(183);

    private Appeals() {}

    /** Where an author's request for a human review stands. */
    public enum Review {
        /** Asked for; no moderator has decided since. */
        UNDER_REVIEW,
        /** A moderator decided after it: the comment's status is the review's outcome. */
        DECIDED
    }

    /**
     * The state of the review asked for at {@code appealedAt} of revision {@code appealedRevision}, now that the
     * comment is at {@code revision}; {@code null} when none was asked for. An appeal recorded without its revision
     * (before it was kept) reads as under review until the comment changes its mark.
     */
    public static @Nullable Review review(
            @Nullable Instant appealedAt, @Nullable Integer appealedRevision, int revision) {
        if (appealedAt == null) {
            return null;
        }
        return appealedRevision != null && revision > appealedRevision ? Review.DECIDED : Review.UNDER_REVIEW;
    }

    /** Whether a rejection (with its statement of reasons) decided at {@code decidedAt} may still be appealed. */
    public static boolean appealable(
            boolean rejected,
            boolean hasStatement,
            @Nullable Instant decidedAt,
            @Nullable Instant appealedAt,
            Instant now) {
        return rejected
                && hasStatement
                && appealedAt == null
                && decidedAt != null
                && !now.isAfter(decidedAt.plus(WINDOW));
    }
}
