package dev.talkback.comments.published;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** When the author of a rejected comment may ask for a human review: once, within six months of the decision. */
public final class Appeals {

    /** How long after the decision an appeal is accepted (Art. 20(1) DSA: at least six months). */
    public static final Duration WINDOW = Duration.ofDays(183);

    private Appeals() {}

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
