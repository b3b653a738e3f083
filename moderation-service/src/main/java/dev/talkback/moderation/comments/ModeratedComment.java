package dev.talkback.moderation.comments;

import dev.talkback.engine.AbuseCategory;
import dev.talkback.engine.Decision;
import dev.talkback.engine.Submission;
import dev.talkback.engine.TextFingerprint;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.ModerationProperties;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A comment as moderation-service keeps it: one document per comment (id = comment id), holding the comment, its
 * current decision and the history of all its decisions. Every change is a single-document atomic write.
 *
 * <p>Instants are kept to the millisecond, as MongoDB stores them, so that an event built from the document before
 * and after a round trip through the store is the same event.
 *
 * @param id               the comment id
 * @param articleId        the article the comment is under
 * @param parentId         the comment it replies to, or {@code null}
 * @param author           who wrote it (their address, IP address and user agent are in the {@link CommentClient},
 *                         for {@code moderation.privacy.client-data-retention} only)
 * @param text             the text as written
 * @param submittedAt      when the reader posted it
 * @param submittedEventId the {@code CommentSubmitted} event that brought it
 * @param decision         the current (latest) decision
 * @param history          every decision, oldest first; the last one is {@code decision}
 * @param label            the moderator's last label: {@code SPAM} or {@code HAM} for the spam model, {@code ABUSE} or
 *                         {@code NOT_ABUSE} for the abuse model, else {@code null}
 * @param claim            the moderator currently reviewing it, or {@code null}
 * @param publishPending   when a human decision was stored and not yet confirmed published; {@code null} when none
 *                         is pending (the re-publisher sends the ones left pending)
 * @param emailKey         the key of the author's address ({@code AddressKeys}: HMAC-SHA256 under the site secret),
 *                         what author history and duplicates are counted by; {@code null} once erased at the author's
 *                         request
 * @param fingerprint      the text's fingerprints from the automatic decision, for later duplicate checks; {@code null}
 *                         in documents stored before they existed
 * @param labelCategory    with label {@code ABUSE}: the category the moderator named ({@code insult}, {@code identity},
 *                         {@code threat}, {@code obscene}), or {@code null}
 */
@Document(collection = "comments")
record ModeratedComment(
        @Id String id,
        String articleId,
        @Nullable String parentId,
        Author author,
        String text,
        Instant submittedAt,
        String submittedEventId,
        ModerationDecision decision,
        List<ModerationDecision> history,
        @Nullable String label,
        @Nullable Claim claim,
        @Nullable Instant publishPending,
        @Nullable String emailKey,
        @Nullable Fingerprint fingerprint,
        @Nullable String labelCategory,
        @Nullable Reported reported,
        @Nullable Appeal appeal) {

    ModeratedComment {
        history = List.copyOf(history);
    }

    /** Without {@code emailKey}. */
    @Override
    public String toString() {
        return "ModeratedComment[id=" + id + ", articleId=" + articleId + ", parentId=" + parentId + ", author="
                + author + ", text=" + text + ", submittedAt=" + submittedAt + ", submittedEventId=" + submittedEventId
                + ", decision=" + decision + ", history="
                + history + ", label=" + label + ", labelCategory=" + labelCategory + ", claim=" + claim
                + ", publishPending=" + publishPending + ", reported=" + reported + ", appeal=" + appeal
                + ", fingerprint=" + fingerprint + "]";
    }

    /**
     * The engine's {@link TextFingerprint}, stored so that {@code fingerprint.exact} and {@code fingerprint.bands}
     * can be indexed and queried (single-field indexes; {@code bands} is an array, so one index entry per band).
     *
     * @param exact   hash of the normalised words
     * @param simHash 64-bit SimHash
     * @param bands   its eight bands, each tagged with its position
     * @param words   number of words
     */
    record Fingerprint(long exact, long simHash, List<Long> bands, int words) {

        static Fingerprint of(TextFingerprint fingerprint) {
            return new Fingerprint(
                    fingerprint.exact(), fingerprint.simHash(), fingerprint.bands(), fingerprint.words());
        }

        TextFingerprint toEngine() {
            return new TextFingerprint(exact, simHash, words);
        }
    }

    /**
     * A moderator's lease on a comment, so that two people do not review the same item.
     *
     * @param moderator the token subject of who holds it
     * @param until     when the lease ends
     */
    record Claim(String moderator, Instant until) {}

    /** The score the held queue sorts on for "most abusive first": the highest of the abuse categories' scores. */
    static final String HIGHEST_ABUSE_SCORE = "abuse";

    /** The engine's scores and, when it scored abuse, {@link #HIGHEST_ABUSE_SCORE}. */
    private static Map<String, Double> withHighestAbuse(Map<String, Double> scores) {
        var highest = Arrays.stream(AbuseCategory.values())
                .map(AbuseCategory::scoreKey)
                .map(scores::get)
                .filter(Objects::nonNull)
                .max(Double::compare);
        if (highest.isEmpty()) {
            return scores;
        }
        Map<String, Double> all = new LinkedHashMap<>(scores);
        all.put(HIGHEST_ABUSE_SCORE, highest.get());
        return all;
    }

    /**
     * The comment with the pipeline's automatic decision as revision 1.
     *
     * @param eventId  the id of the {@code CommentModerated} that announces the decision, fixed here so that every
     *                 re-publication carries the same id
     * @param emailKey the key of the author's address
     */
    static ModeratedComment decidedAutomatically(
            CommentSubmitted submitted,
            Decision decision,
            Instant decidedAt,
            UUID eventId,
            ModerationProperties.Statements statements,
            String emailKey) {
        var author = submitted.author();
        CommentModerated.Outcome outcome = outcomeOf(decision.verdict());
        var automatic = new ModerationDecision(
                1,
                outcome,
                false,
                decision.reasons().stream()
                        .map(r -> new ModerationDecision.Reason(r.ruleId(), r.message()))
                        .toList(),
                decision.publicReason(),
                decision.rulesVersion(),
                millis(decidedAt),
                eventId.toString(),
                null,
                withHighestAbuse(decision.scores()),
                decision.modelVersion(),
                decision.evidence(),
                StatementOfReasons.automatic(outcome, decision.publicReason(), statements));
        return new ModeratedComment(
                submitted.commentId(),
                submitted.articleId(),
                submitted.parentId(),
                new Author(author.name(), author.website(), author.notifyReplies(), author.notifyPublished()),
                submitted.text(),
                millis(submitted.occurredAt()),
                submitted.eventId().toString(),
                automatic,
                List.of(automatic),
                null,
                null,
                null,
                emailKey,
                decision.fingerprint() == null ? null : Fingerprint.of(decision.fingerprint()),
                null,
                null,
                null);
    }

    /** What the pipeline judges of a submitted comment. */
    static Submission submissionOf(CommentSubmitted submitted) {
        var author = submitted.author();
        return new Submission(
                submitted.commentId(),
                submitted.articleId(),
                author.name(),
                author.email(),
                author.website(),
                submitted.text(),
                submitted.clientIp());
    }

    static CommentModerated.Outcome outcomeOf(dev.talkback.engine.Verdict verdict) {
        return switch (verdict) {
            case APPROVE -> CommentModerated.Outcome.APPROVED;
            case REJECT -> CommentModerated.Outcome.REJECTED;
            case HOLD -> CommentModerated.Outcome.HELD;
        };
    }

    /**
     * The event announcing the current decision; built only from stored values, so a re-publication is identical.
     *
     * @param email the author's address while it is held ({@link CommentClients#currentDecisionEvent}); {@code null}
     *              once it is not: no contact, so no mail
     */
    CommentModerated currentDecisionEvent(@Nullable String email) {
        return new CommentModerated(
                UUID.fromString(decision.eventId()),
                decision.decidedAt(),
                id,
                articleId,
                decision.revision(),
                decision.outcome(),
                decision.human(),
                decision.reasons().stream()
                        .map(r -> new CommentModerated.Reason(r.ruleId(), r.message()))
                        .toList(),
                decision.publicReason(),
                new CommentModerated.PublicComment(parentId, author.name(), author.website(), text, submittedAt),
                email == null
                        ? null
                        : new CommentModerated.AuthorContact(email, author.notifyReplies(), author.notifyPublished()),
                decision.statement());
    }

    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Readers' reports put this published comment in front of the moderators (the {@code REPORTED} queue), until a
     * moderator decides on it.
     *
     * @param since   when the reports reached the threshold
     * @param reports how many reports it has had since it was last decided
     * @param notice  whether one of them is a notice of illegal content
     * @param reasons the reports per reason ({@code ABUSE}, {@code ILLEGAL_CONTENT}, …)
     */
    record Reported(Instant since, int reports, boolean notice, Map<String, Integer> reasons) {}

    /**
     * The author asked for a human review of a rejection (the {@code APPEALED} queue while it is open).
     *
     * @param since       when they asked
     * @param revision    the revision of the decision they contest
     * @param explanation what they added, or {@code null}
     * @param resolvedAt  when a moderator decided on it, or {@code null} while open
     * @param outcome     that decision's outcome ({@code APPROVED}: reversed), or {@code null} while open
     */
    record Appeal(
            Instant since,
            int revision,
            @Nullable String explanation,
            @Nullable Instant resolvedAt,
            @Nullable String outcome) {}

    /**
     * The commenter, as readers see them (their address is in the {@link CommentClient} while it is kept; documents
     * stored before had it here as {@code author.email}, moved there at start by {@link ClientDataUpgrade}).
     *
     * @param name            display name; {@value #ERASED_NAME} once erased at their request
     * @param website         http(s) URL or {@code null}
     * @param notifyReplies   whether they asked to hear about replies
     * @param notifyPublished whether they asked to hear that the comment is published (or rejected); absent, so
     *                        {@code false}, in documents stored before it existed
     */
    record Author(String name, @Nullable String website, boolean notifyReplies, boolean notifyPublished) {

        /** What an erased comment shows as its author. */
        static final String ERASED_NAME = "[deleted]";
    }
}
