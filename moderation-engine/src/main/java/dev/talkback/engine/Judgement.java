package dev.talkback.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the phases found so far: the strictest verdict, the reasons, scores and evidence, the author's advice. */
final class Judgement {

    private Verdict verdict = Verdict.APPROVE;
    private final List<Reason> reasons = new ArrayList<>();
    private final Map<String, Double> scores = new HashMap<>();
    private final Map<String, List<String>> evidence = new HashMap<>();
    /** What the author could change, when a hold or rejection has a remedy the author can apply. */
    private final List<String> advice = new ArrayList<>();

    private @Nullable String publicReason;

    /**
     * Adds an objection: its reason, and its verdict if stricter than the others. The first rejection's public message
     * is what the author is shown.
     */
    void object(Verdict v, String ruleId, String message, @Nullable String publicMessage) {
        reasons.add(new Reason(ruleId, message));
        if (v == Verdict.REJECT && publicReason == null) {
            publicReason = publicMessage;
        }
        verdict = verdict.strictest(v);
    }

    void score(String key, double value) {
        scores.put(key, value);
    }

    void evidence(String key, List<String> words) {
        evidence.put(key, words);
    }

    /** Advice for the author, shown with a hold when no rejection has a public reason. */
    void advise(String text) {
        advice.add(text);
    }

    boolean rejected() {
        return verdict == Verdict.REJECT;
    }

    Decision decision(
            @Nullable TextFingerprint fingerprint, String rulesVersion, @Nullable String modelVersion, Instant now) {
        String shown = publicReason;
        if (shown == null && verdict == Verdict.HOLD && !advice.isEmpty()) {
            shown = String.join(" ", advice);
        }
        List<Reason> given =
                reasons.isEmpty() ? List.of(new Reason(Decision.PASSED, "No rule objected to this comment.")) : reasons;
        return new Decision(verdict, given, shown, rulesVersion, scores, modelVersion, fingerprint, now, evidence);
    }
}
