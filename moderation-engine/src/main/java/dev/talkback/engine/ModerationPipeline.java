package dev.talkback.engine;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first pipeline's interface (email, banned words, link limit), kept for moderation-service until it moves to
 * {@link ModerationEngine}: a thin adapter over the engine with no spam model and no infrastructure.
 */
public final class ModerationPipeline {

    private final ModerationEngine engine;
    private final ModerationSettings settings;
    private final String rulesVersion;

    private ModerationPipeline(ModerationEngine engine, ModerationSettings settings, String rulesVersion) {
        this.engine = engine;
        this.settings = settings;
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
        ModerationSettings settings = ModerationSettings.defaults()
                .withWords(rules.bannedWords(), Set.of())
                .withLinks(rules.maxLinks(), Set.of(), Set.of())
                .withEmailPolicy(Verdict.APPROVE, Verdict.APPROVE)
                .withFloods(java.time.Duration.ofMinutes(10), Integer.MAX_VALUE, Integer.MAX_VALUE);
        return new ModerationPipeline(ModerationEngine.builder().emailPolicy(emailPolicy).build(), settings,
                rules.version());
    }

    public Decision decide(Submission submission) {
        Decision d = engine.decide(submission, settings);
        return new Decision(d.verdict(), d.reasons(), d.publicReason(), rulesVersion, d.scores(), d.modelVersion(),
                d.fingerprint(), d.decidedAt());
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
            return "links=" + maxLinks + ";banned=" + Integer.toHexString(describe(bannedWords).hashCode());
        }

        private static String describe(Set<String> words) {
            return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(","));
        }
    }
}
