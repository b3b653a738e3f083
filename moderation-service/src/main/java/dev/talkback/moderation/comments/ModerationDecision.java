package dev.talkback.moderation.comments;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.talkback.events.CommentModerated;

/**
 * One decision on a comment, automatic or human, as stored and shown to moderators.
 *
 * @param revision     1 for the automatic decision, +1 for each later one
 * @param outcome      what was decided
 * @param human        whether a moderator decided
 * @param reasons      why (rule id and a sentence)
 * @param publicReason what the author may be told, or {@code null}
 * @param rulesVersion the version of the rules that decided
 * @param decidedAt    when
 * @param eventId      the id of the {@code CommentModerated} event announcing this decision
 * @param decidedBy    the moderator (token subject) of a human decision; {@code null} for an automatic one
 */
record ModerationDecision(
        int revision,
        CommentModerated.Outcome outcome,
        boolean human,
        List<Reason> reasons,
        @Nullable String publicReason,
        String rulesVersion,
        Instant decidedAt,
        String eventId,
        @Nullable String decidedBy) {

    ModerationDecision {
        reasons = List.copyOf(reasons);
    }

    /**
     * Why a rule objected.
     *
     * @param ruleId  stable rule id, e.g. {@code words.banned}
     * @param message a sentence a moderator understands
     */
    record Reason(String ruleId, String message) {
    }
}
