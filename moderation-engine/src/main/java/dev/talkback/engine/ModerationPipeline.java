package dev.talkback.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The decision pipeline: ordered phases, each of which may object. The strictest objection decides; every objection
 * is kept as a reason so that a moderator sees all of them. A REJECT ends the pipeline, since nothing later can
 * change it.
 */
public final class ModerationPipeline {

    private final List<Phase> phases;
    private final String rulesVersion;

    private ModerationPipeline(List<Phase> phases, String rulesVersion) {
        this.phases = List.copyOf(phases);
        this.rulesVersion = rulesVersion;
    }

    /**
     * The pipeline of the given rules.
     *
     * @param emailPolicy the address policy shared with the intake
     * @param rules       link limit and banned words
     */
    public static ModerationPipeline of(EmailAddressPolicy emailPolicy, Rules rules) {
        Objects.requireNonNull(rules, "rules");
        return new ModerationPipeline(List.of(
                new EmailPhase(emailPolicy),
                new BannedWordsPhase(rules.bannedWords()),
                new LinkLimitPhase(rules.maxLinks())),
                rules.version());
    }

    public Decision decide(Submission submission) {
        NormalizedText text = NormalizedText.of(submission.text());
        Verdict verdict = Verdict.APPROVE;
        List<Reason> reasons = new ArrayList<>();
        String publicReason = null;
        for (Phase phase : phases) {
            Phase.Objection objection = phase.judge(text, submission);
            if (objection == null) {
                continue;
            }
            reasons.add(objection.reason());
            if (objection.verdict() == Verdict.REJECT && publicReason == null) {
                publicReason = objection.publicReason();
            }
            verdict = verdict.strictest(objection.verdict());
            if (verdict == Verdict.REJECT) {
                break;
            }
        }
        if (reasons.isEmpty()) {
            reasons.add(new Reason(Decision.PASSED, "No rule objected to this comment."));
        }
        return new Decision(verdict, reasons, publicReason, rulesVersion);
    }

    /**
     * The configurable rules of the pipeline.
     *
     * @param maxLinks    links allowed before a comment is held
     * @param bannedWords words that get a comment rejected
     */
    public record Rules(int maxLinks, Set<String> bannedWords) {

        public Rules {
            if (maxLinks < 0) {
                throw new IllegalArgumentException("maxLinks must not be negative");
            }
            bannedWords = Set.copyOf(bannedWords);
        }

        /** A short fingerprint of the rules, recorded with every decision. */
        public String version() {
            return "links=" + maxLinks + ";banned=" + Integer.toHexString(BannedWordsPhase.describe(bannedWords).hashCode());
        }
    }
}
