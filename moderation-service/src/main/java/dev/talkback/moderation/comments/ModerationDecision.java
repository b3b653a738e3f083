package dev.talkback.moderation.comments;

import dev.talkback.events.CommentModerated;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.PersistenceCreator;

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
 * @param scores       the engine's scores of an automatic decision, calibrated probabilities: {@code spam} and one per
 *                     abuse category ({@code abuse.insult}, {@code abuse.identity}, {@code abuse.threat},
 *                     {@code abuse.obscene}); empty for a human one
 * @param modelVersion the models that scored an automatic decision, or {@code null}
 * @param evidence     per score key, the words or phrases that raised that score most, strongest first (why the abuse
 *                     model scored as it did); only keys that have some, empty for a human decision
 * @param statement    for a rejection, the statement of reasons its author may read; {@code null} otherwise (and in
 *                     documents stored before statements existed)
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
        @Nullable String decidedBy,
        @Nullable Map<String, Double> scores,
        @Nullable String modelVersion,
        @Nullable Map<String, List<String>> evidence,
        CommentModerated.@Nullable Statement statement) {

    @PersistenceCreator
    ModerationDecision {
        reasons = List.copyOf(reasons);
        // documents stored before scores (or evidence) existed have none
        scores = scores == null ? Map.of() : Map.copyOf(scores);
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    /** A decision without scores, model or statement. */
    ModerationDecision(
            int revision,
            CommentModerated.Outcome outcome,
            boolean human,
            List<Reason> reasons,
            @Nullable String publicReason,
            String rulesVersion,
            Instant decidedAt,
            String eventId,
            @Nullable String decidedBy) {
        this(revision, outcome, human, reasons, publicReason, rulesVersion, decidedAt, eventId, decidedBy, null);
    }

    /** A decision without scores or model: a human one. */
    ModerationDecision(
            int revision,
            CommentModerated.Outcome outcome,
            boolean human,
            List<Reason> reasons,
            @Nullable String publicReason,
            String rulesVersion,
            Instant decidedAt,
            String eventId,
            @Nullable String decidedBy,
            CommentModerated.@Nullable Statement statement) {
        this(
                revision,
                outcome,
                human,
                reasons,
                publicReason,
                rulesVersion,
                decidedAt,
                eventId,
                decidedBy,
                Map.of(),
                null,
                Map.of(),
                statement);
    }

    /**
     * This decision as an erased comment keeps it: its rules, outcome and scores (the moderation record), without the
     * messages and evidence, which may quote the text.
     */
    ModerationDecision withoutWords() {
        return new ModerationDecision(
                revision,
                outcome,
                human,
                reasons.stream().map(reason -> new Reason(reason.ruleId(), "")).toList(),
                publicReason,
                rulesVersion,
                decidedAt,
                eventId,
                decidedBy,
                scores,
                modelVersion,
                Map.of(),
                statement);
    }

    /**
     * Why a rule objected.
     *
     * @param ruleId  stable rule id, e.g. {@code words.banned}
     * @param message a sentence a moderator understands
     */
    record Reason(String ruleId, String message) {}
}
