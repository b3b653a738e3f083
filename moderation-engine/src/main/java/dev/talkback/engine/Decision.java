package dev.talkback.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline's answer, with everything a moderator needs to see why.
 *
 * @param verdict      approve, hold or reject
 * @param reasons      every rule that objected, in pipeline order; a single {@code pipeline.passed} reason when none did
 * @param publicReason what the author may be told: why, when rejected; what to change, when held for abuse; else
 *                     {@code null}
 * @param rulesVersion the version of the rule set that decided
 * @param scores       named scores: {@code spam} and {@code abuse.insult}, {@code abuse.identity}, {@code abuse.threat},
 *                     {@code abuse.obscene} (calibrated probabilities); empty when none was computed
 * @param modelVersion the models' versions ({@code spam-version} or {@code spam-version+abuse-version}), or
 *                     {@code null} when no model scored the comment
 * @param evidence     per score key, the words or phrases that raised it most, strongest first (the abuse model's
 *                     explanation); only for scores that have some
 * @param fingerprint  the text's fingerprints, for the caller to store for later duplicate checks, or {@code null}
 * @param decidedAt    when, or {@code null}
 */
public record Decision(
        Verdict verdict,
        List<Reason> reasons,
        @Nullable String publicReason,
        String rulesVersion,
        Map<String, Double> scores,
        @Nullable String modelVersion,
        @Nullable TextFingerprint fingerprint,
        @Nullable Instant decidedAt,
        Map<String, List<String>> evidence) {

    public static final String PASSED = "pipeline.passed";

    public Decision {
        reasons = List.copyOf(reasons);
        scores = Map.copyOf(scores);
        evidence = Map.copyOf(evidence);
    }

    /** A decision without evidence. */
    public Decision(
            Verdict verdict,
            List<Reason> reasons,
            @Nullable String publicReason,
            String rulesVersion,
            Map<String, Double> scores,
            @Nullable String modelVersion,
            @Nullable TextFingerprint fingerprint,
            @Nullable Instant decidedAt) {
        this(verdict, reasons, publicReason, rulesVersion, scores, modelVersion, fingerprint, decidedAt, Map.of());
    }

    /** A decision without scores or versions of a model (the form of the first pipeline). */
    public Decision(Verdict verdict, List<Reason> reasons, @Nullable String publicReason, String rulesVersion) {
        this(verdict, reasons, publicReason, rulesVersion, Map.of(), null, null, null);
    }

    /** The spam probability, when the model scored the comment. */
    public java.util.Optional<Double> spamProbability() {
        return java.util.Optional.ofNullable(scores.get(ModerationEngine.SPAM_SCORE));
    }
}
