package dev.talkback.engine;

import java.util.List;

/**
 * The pipeline's answer, with everything a moderator needs to see why.
 *
 * @param verdict      approve, hold or reject
 * @param reasons      every rule that objected, in pipeline order; a single {@code pipeline.passed} reason when none did
 * @param publicReason what the author may be told when rejected, or {@code null}
 * @param rulesVersion the version of the rule set that decided
 */
public record Decision(Verdict verdict, List<Reason> reasons, String publicReason, String rulesVersion) {

    public static final String PASSED = "pipeline.passed";

    public Decision {
        reasons = List.copyOf(reasons);
    }
}
