package dev.talkback.moderation.comments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.talkback.engine.Decision;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.engine.ModerationPipeline;
import dev.talkback.engine.Reason;
import dev.talkback.engine.Verdict;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.rules.ActiveRules;

/**
 * The automatic decision under the settings and bans in force. The engine's pipeline judges the text with the link
 * limit and banned words of the settings; what the current engine cannot express is applied around it, here:
 * a banned author or a closed article is rejected before the pipeline runs, suspect words hold, and pre-moderation
 * holds whatever the pipeline would have approved. (The engine that takes over these rules will make this smaller.)
 */
@Component
class RuledDecisions {

    static final String CLOSED = "article.closed";
    static final String SUSPECT = "words.suspect";
    static final String PREMODERATED = "mode.pre";

    private final ModerationPipeline configured;
    private final EmailAddressPolicy emailPolicy = new EmailAddressPolicy();
    private final Map<ModerationPipeline.Rules, ModerationPipeline> pipelines = new ConcurrentHashMap<>();

    RuledDecisions(ModerationPipeline configured) {
        this.configured = configured;
    }

    Decision decide(CommentSubmitted submitted, ActiveRules.Effective rules) {
        var ban = rules.banFor(submitted.author().email(), submitted.clientIp());
        if (ban.isPresent()) {
            return new Decision(Verdict.REJECT,
                    List.of(new Reason(ban.get().ruleId(), "The author is banned: " + ban.get().reason())),
                    "The comment was not accepted.", "ban:" + ban.get().id());
        }
        if (rules.closed()) {
            return new Decision(Verdict.REJECT,
                    List.of(new Reason(CLOSED, "The article is closed for comments.")),
                    "Comments on this article are closed.", "closed");
        }
        Decision decision = pipelineFor(rules).decide(ModeratedComment.submissionOf(submitted));
        if (decision.verdict() == Verdict.REJECT) {
            return decision;
        }
        List<Reason> reasons = new ArrayList<>(decision.reasons().stream()
                .filter(reason -> !Decision.PASSED.equals(reason.ruleId())).toList());
        Verdict verdict = decision.verdict();
        Set<String> suspect = rules.suspectWordsIn(submitted.text());
        if (!suspect.isEmpty()) {
            reasons.add(new Reason(SUSPECT, "Suspect words: " + String.join(", ", suspect) + "."));
            verdict = Verdict.HOLD;
        }
        if (rules.premoderated() && verdict == Verdict.APPROVE) {
            reasons.add(new Reason(PREMODERATED, "Comments on this article wait for a moderator."));
            verdict = Verdict.HOLD;
        }
        if (suspect.isEmpty() && !(rules.premoderated() && decision.verdict() == Verdict.APPROVE)) {
            return decision;
        }
        String version = decision.rulesVersion() + (rules.premoderated() ? ";pre" : "")
                + (rules.suspectWords().isEmpty() ? "" : ";suspect=" + Integer.toHexString(rules.suspectWords().hashCode()));
        return new Decision(verdict, reasons, decision.publicReason(), version);
    }

    /** The configured pipeline unless stored settings apply; then one built from them (and kept for reuse). */
    private ModerationPipeline pipelineFor(ActiveRules.Effective rules) {
        if (!rules.customised()) {
            return configured;
        }
        var engineRules = new ModerationPipeline.Rules(rules.maxLinks(), rules.bannedWords());
        if (pipelines.size() > 1_000) {
            pipelines.clear();
        }
        return pipelines.computeIfAbsent(engineRules, r -> ModerationPipeline.of(emailPolicy, r));
    }
}
