package dev.talkback.engine;

import java.util.Locale;

/**
 * One step of the decision pipeline (the shape of Coral Talk's moderation phases): it looks at the comment and, when
 * it objects, adds a reason with its rule id to the {@link Judgement}. {@link ModerationEngine} runs the phases in
 * order and stops at the first rejection; each phase's rule ids are constants of its class.
 */
interface Phase {

    /** What the CPU budget names when it runs out after this phase ("the words phase"). */
    String name();

    void judge(DecisionInput input, Judgement judgement);

    /** A probability as a rounded percentage, as the reasons show it ("82 %"). */
    static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * p);
    }
}
