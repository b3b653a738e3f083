package dev.talkback.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of abuse a comment contains. Each has a rule id (a hold's reason), a score key in
 * {@link Decision#scores()}, a sentence for moderators and one for the author that says what to change.
 */
public enum AbuseCategory {
    /** Insulting, demeaning or hostile words aimed at a person (the toxicity of Perspective-like models). */
    INSULT("an insult", "Please criticise the argument, not the person: the comment calls someone names."),
    /** Hostility towards people for who they are: their origin, religion, gender, sexuality, disability, age. */
    IDENTITY(
            "an attack on people for who they are",
            "Please do not attack people for their origin, religion, gender, sexuality, disability or age."),
    /** Wishing or announcing harm to someone. */
    THREAT("a threat", "Please remove the threat of harm: the comment wishes or announces violence."),
    /** Sexual or scatological vulgarity. */
    OBSCENE("obscene language", "Please rephrase without vulgar or sexual language.");

    private final String description;
    private final String advice;

    AbuseCategory(String description, String advice) {
        this.description = description;
        this.advice = advice;
    }

    /** The short name in rule ids, score keys and labels: {@code insult}, {@code identity}, {@code threat}, {@code obscene}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The rule id of a hold or rejection for this category, e.g. {@code abuse.insult}. */
    public String ruleId() {
        return "abuse." + id();
    }

    /** The key of this category's score in {@link Decision#scores()}, e.g. {@code abuse.insult}. */
    public String scoreKey() {
        return ruleId();
    }

    /** A few words for sentences: "an insult", "a threat". */
    public String description() {
        return description;
    }

    /** What the author may be told: what to change. */
    public String advice() {
        return advice;
    }

    /** The category with this id ({@code insult}) or rule id ({@code abuse.insult}), case-insensitive. */
    public static Optional<AbuseCategory> fromId(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("abuse.")) {
            s = s.substring("abuse.".length());
        }
        for (AbuseCategory c : values()) {
            if (c.id().equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
