package dev.talkback.moderation.comments;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Statement;
import dev.talkback.events.CommentModerated.Statement.Facts;
import dev.talkback.events.CommentModerated.Statement.Ground;
import dev.talkback.moderation.ModerationProperties;
import org.jspecify.annotations.Nullable;

/**
 * The statement of reasons of a rejection (Digital Services Act, Art. 17): what led to it, whether automated means
 * detected the comment or decided, the ground (the law, or the clause of the site's terms) and the ways to contest it.
 * Made of the decision's author-facing reason and the moderator's entries only: a reader's report or note never
 * reaches the author. Only a rejection has one; a hold is not yet a decision against the comment.
 */
final class StatementOfReasons {

    private StatementOfReasons() {}

    /** The statement of the automatic moderation's decision, or {@code null} unless it rejects. */
    static @Nullable Statement automatic(
            CommentModerated.Outcome outcome, @Nullable String publicReason, ModerationProperties.Statements settings) {
        if (outcome != CommentModerated.Outcome.REJECTED) {
            return null;
        }
        return new Statement(
                Facts.AUTOMATED_CHECK,
                true,
                true,
                Ground.TERMS,
                settings.termsReference(),
                publicReason == null ? "The comment breaks the site's comment rules." : publicReason,
                settings.redress());
    }

    /**
     * The statement of a moderator's decision, or {@code null} unless it rejects.
     *
     * @param current   the comment as the moderator decided on it: reported or not, and how the automatic moderation
     *                  had decided
     * @param ground    the ground the moderator named, or {@code null}: the site's terms
     * @param reference the provision or clause the moderator named, or {@code null}: the settings' terms reference
     */
    static @Nullable Statement human(
            CommentModerated.Outcome outcome,
            ModeratedComment current,
            @Nullable Ground ground,
            @Nullable String reference,
            @Nullable String publicReason,
            ModerationProperties.Statements settings) {
        if (outcome != CommentModerated.Outcome.REJECTED) {
            return null;
        }
        ModeratedComment.Reported reported = current.reported();
        Facts facts = reported == null ? Facts.OWN_REVIEW : reported.notice() ? Facts.NOTICE : Facts.REPORT;
        // the automatic moderation flagged it when its own decision kept it from readers and no reader reported it
        boolean automatedDetection = reported == null
                && !current.history().isEmpty()
                && current.history().get(0).outcome() != CommentModerated.Outcome.APPROVED;
        return new Statement(
                facts,
                automatedDetection,
                false,
                ground == null ? Ground.TERMS : ground,
                reference == null || reference.isBlank() ? settings.termsReference() : reference.strip(),
                publicReason == null ? "A moderator decided not to publish this comment." : publicReason,
                settings.redress());
    }
}
