package dev.talkback.moderation.comments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.PrivacyErasure;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.privacy.PersonalData;
import dev.talkback.support.kafka.CommentIdLogging;
import dev.talkback.support.privacy.AddressKeys;
import dev.talkback.support.web.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What moderation-service holds by an email address: the comments written from it (found by the key of the address,
 * {@code emailKey}) with their client data while it is kept, and the notices of illegal content filed from it.
 *
 * <p><b>Erasure.</b> Each comment keeps its id, article, parent, submission time and the rules and outcomes of its
 * decisions (the thread's shape and the moderation record) and loses everything else: its author's name (now
 * {@value ModeratedComment.Author#ERASED_NAME}), website and notification choices, its text, its address key, its
 * client data, its duplicate-check entry and fingerprint, the moderator's label, the messages and evidence of its
 * decisions (they may quote the text) and the author's words in an appeal. It gets a next revision, {@code privacy
 * .erased}, stored with the rest in one conditional update and then published like a human decision (a crash before
 * the publication leaves it to the re-publisher): a published comment stays published without author and text
 * ({@code ANONYMISE}, the default) or is rejected ({@code REMOVE}); a held or rejected one is rejected, so it leaves the
 * queue. The address's flood counts go too. A notice filed from the address loses the notifier's name, address and IP
 * address, and keeps its reason and explanation for the moderators and the transparency report. Bans stay: a ban is
 * the moderators' record, kept while it is needed. A comment loses its key only in the update that erases it, so a
 * repeated erasure (a redelivery, or a retry after a failure midway) finds what is left and nothing else.
 *
 * <p><b>Export.</b> One record per comment (newest first, at most the given number) and per notice, read page by page
 * as the records are taken.
 */
@Service
class CommentPersonalData implements PersonalData {

    private static final Logger log = LoggerFactory.getLogger(CommentPersonalData.class);

    /** The rule of the revision an erasure adds. */
    static final String ERASED_RULE = PrivacyErasure.ERASED_RULE;

    /** The outcome an erasure gives an appeal no moderator had decided yet. */
    static final String ERASED_APPEAL = "ERASED";

    /** Notices an export gives at most. */
    static final int MAX_NOTICES = 10_000;

    /** Documents read at once. */
    private static final int PAGE = 100;

    /**
     * Passes in a row that erased none of the comments they found (each changed by a moderator between the read and
     * the update) before an erasure fails and is retried: a bound on a loop that should not happen.
     */
    private static final int MAX_IDLE_PASSES = 10;

    private final ReactiveMongoTemplate mongo;
    private final AddressKeys keys;
    private final CommentClients clients;
    private final RecentFingerprints fingerprints;
    private final FloodCounters floods;
    private final HumanModeration moderation;
    private final Clock clock;
    private final Duration timeout;
    private final ModerationProperties.ErasedComments erasedComments;

    CommentPersonalData(
            ReactiveMongoTemplate mongo,
            AddressKeys keys,
            CommentClients clients,
            RecentFingerprints fingerprints,
            FloodCounters floods,
            HumanModeration moderation,
            Clock clock,
            ModerationProperties properties) {
        this.mongo = mongo;
        this.keys = keys;
        this.clients = clients;
        this.fingerprints = fingerprints;
        this.floods = floods;
        this.moderation = moderation;
        this.clock = clock;
        this.timeout = properties.storeTimeout();
        this.erasedComments = properties.privacy().erasedComments();
    }

    @Override
    public Mono<Erased> erase(String address) {
        return erase(address, erasedComments);
    }

    /** Erases with the given choice of what becomes of a published comment. */
    Mono<Erased> erase(String address, ModerationProperties.ErasedComments mode) {
        return eraseComments(address, mode, 0, 0)
                .flatMap(comments -> floods.forget(address)
                        .timeout(timeout)
                        .then(eraseNotices(address))
                        .map(notices -> new Erased(comments, notices)));
    }

    /**
     * The comments by the address: by its key, and by the address itself in lower case for comments stored before
     * addresses were keyed that {@link ClientDataUpgrade} has not reached yet.
     */
    private Criteria byAddress(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        return Criteria.where("emailKey")
                .in(Stream.of(keys.of(address), lower, lower.strip()).distinct().toList());
    }

    private Mono<Integer> eraseComments(
            String address, ModerationProperties.ErasedComments mode, int erased, int idlePasses) {
        return mongo.find(Query.query(byAddress(address)).limit(PAGE), ModeratedComment.class)
                .collectList()
                .timeout(timeout)
                .flatMap(page -> {
                    if (page.isEmpty()) {
                        return Mono.just(erased);
                    }
                    if (idlePasses >= MAX_IDLE_PASSES) {
                        return Mono.error(new IllegalStateException(
                                "Comments of the address kept changing while they were erased; retrying"));
                    }
                    return Flux.fromIterable(page)
                            .concatMap(comment -> eraseOne(comment, mode))
                            .filter(Boolean::booleanValue)
                            .count()
                            .flatMap(done -> eraseComments(
                                    address, mode, erased + done.intValue(), done == 0 ? idlePasses + 1 : 0));
                });
    }

    /** Whether the comment was erased; false when it changed meanwhile (the next pass reads it again). */
    private Mono<Boolean> eraseOne(ModeratedComment current, ModerationProperties.ErasedComments mode) {
        Instant now = ModeratedComment.millis(clock.instant());
        CommentModerated.Outcome outcome = mode == ModerationProperties.ErasedComments.ANONYMISE
                        && current.decision().outcome() == CommentModerated.Outcome.APPROVED
                ? CommentModerated.Outcome.APPROVED
                : CommentModerated.Outcome.REJECTED;
        var erasure = new ModerationDecision(
                current.decision().revision() + 1,
                outcome,
                false,
                List.of(new ModerationDecision.Reason(ERASED_RULE, "Erased at its author's request.")),
                null,
                "privacy",
                now,
                UUID.randomUUID().toString(),
                null);
        List<ModerationDecision> history = new ArrayList<>();
        current.history().forEach(decision -> history.add(decision.withoutWords()));
        history.add(erasure);
        Update update = new Update()
                .set("author", new ModeratedComment.Author(ModeratedComment.Author.ERASED_NAME, null, false, false))
                .set("text", "")
                .set("decision", erasure)
                .set("history", history)
                .set("publishPending", now)
                .unset("emailKey")
                .unset("fingerprint")
                .unset("label")
                .unset("labelCategory")
                .unset("reported")
                // where versions before comment_clients kept them, and the upgrade has not come yet
                .unset("clientIp")
                .unset("userAgent");
        if (current.appeal() != null) {
            update = update.unset("appeal.explanation");
            if (current.appeal().resolvedAt() == null) {
                update = update.set("appeal.resolvedAt", now).set("appeal.outcome", ERASED_APPEAL);
            }
        }
        Query unchanged = Query.query(Criteria.where("_id")
                .is(current.id())
                .and("decision.revision")
                .is(current.decision().revision()));
        // what is kept apart goes first: once the comment has lost its key, a repeated erasure no longer finds it
        return Mono.when(clients.remove(current.id()), fingerprints.remove(current.id()))
                .then(mongo.updateFirst(unchanged, update, ModeratedComment.class))
                .timeout(timeout)
                .flatMap(result -> {
                    if (result.getModifiedCount() == 0) {
                        return Mono.just(false);
                    }
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, current.id())) {
                        log.info(
                                "Comment {} erased at its author's request (revision {}, {})",
                                current.id(),
                                erasure.revision(),
                                outcome);
                    }
                    return mongo.findById(current.id(), ModeratedComment.class)
                            .timeout(timeout)
                            // not acknowledged: stored as pending, the re-publisher sends it
                            .flatMap(stored ->
                                    moderation.publish(stored).onErrorResume(ApiProblem.class, e -> Mono.empty()))
                            .thenReturn(true);
                });
    }

    /** The notices filed from the address lose who filed them; returns how many. */
    private Mono<Integer> eraseNotices(String address) {
        return mongo.updateMulti(
                        Query.query(noticesBy(address)),
                        new Update()
                                .unset("notice.name")
                                .unset("notice.email")
                                .unset("notice.emailKey")
                                .unset("clientIp"),
                        Report.class)
                .timeout(timeout)
                .map(result -> (int) result.getModifiedCount());
    }

    /** The notices filed from the address, by its key (a sparse index on {@code notice.emailKey} holds the few). */
    private Criteria noticesBy(String address) {
        return Criteria.where("notice.emailKey").is(keys.of(address));
    }

    @Override
    public Flux<Object> export(String address, int maxComments) {
        Flux<Object> comments = paged(
                        (after, size) -> {
                            Criteria where = byAddress(address);
                            if (after != null) {
                                where = where.orOperator(
                                        Criteria.where("submittedAt").lt(after.submittedAt()),
                                        Criteria.where("submittedAt")
                                                .is(after.submittedAt())
                                                .and("_id")
                                                .lt(after.id()));
                            }
                            return Query.query(where)
                                    .with(Sort.by(Sort.Direction.DESC, "submittedAt", "_id"))
                                    .limit(size);
                        },
                        ModeratedComment.class,
                        null,
                        maxComments)
                .buffer(PAGE)
                .concatMap(page -> clients.of(
                                page.stream().map(ModeratedComment::id).toList())
                        .timeout(timeout)
                        .flatMapIterable(held -> page.stream()
                                .map(comment -> (Object) CommentRecord.of(comment, held.get(comment.id())))
                                .toList()));
        Flux<Object> notices = paged(
                        (after, size) -> {
                            Criteria where = noticesBy(address);
                            if (after != null) {
                                where = where.and("_id").gt(after.id());
                            }
                            return Query.query(where).with(Sort.by("_id")).limit(size);
                        },
                        Report.class,
                        null,
                        MAX_NOTICES)
                .map(NoticeRecord::of);
        return Flux.concat(comments, notices);
    }

    /**
     * Reads page after page, each within the store timeout and the next only once the last one's documents are taken,
     * so that a long export holds one page at a time and a store that stops answering fails it.
     *
     * @param query the query of the page after a document ({@code null}: the first) of at most a size
     */
    private <T> Flux<T> paged(
            BiFunction<@Nullable T, Integer, Query> query, Class<T> type, @Nullable T after, int left) {
        if (left <= 0) {
            return Flux.empty();
        }
        int size = Math.min(PAGE, left);
        return mongo.find(query.apply(after, size), type)
                .collectList()
                .timeout(timeout)
                .flatMapMany(found -> Flux.concat(
                        Flux.fromIterable(found),
                        Flux.defer(() -> found.size() < size
                                ? Flux.empty()
                                : paged(query, type, found.get(found.size() - 1), left - size))));
    }

    /**
     * A comment as its author gets it in an export: what they wrote and sent (the address, IP address and user agent
     * while they are kept), and every decision on it with its rules, the reason and statement they were given, and
     * the scores of the automatic ones.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CommentRecord(
            String type,
            String commentId,
            String articleId,
            @Nullable String parentId,
            String authorName,
            @Nullable String website,
            String text,
            Instant submittedAt,
            @Nullable String email,
            @Nullable String clientIp,
            @Nullable String userAgent,
            boolean notifyReplies,
            boolean notifyPublished,
            List<DecisionRecord> decisions,
            ModeratedComment.@Nullable Reported reported,
            ModeratedComment.@Nullable Appeal appeal) {

        static CommentRecord of(ModeratedComment comment, @Nullable CommentClient client) {
            return new CommentRecord(
                    "comment",
                    comment.id(),
                    comment.articleId(),
                    comment.parentId(),
                    comment.author().name(),
                    comment.author().website(),
                    comment.text(),
                    comment.submittedAt(),
                    client == null ? null : client.email(),
                    client == null ? null : client.clientIp(),
                    client == null ? null : client.userAgent(),
                    comment.author().notifyReplies(),
                    comment.author().notifyPublished(),
                    comment.history().stream().map(DecisionRecord::of).toList(),
                    comment.reported(),
                    comment.appeal());
        }
    }

    /** One decision on an exported comment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DecisionRecord(
            int revision,
            CommentModerated.Outcome outcome,
            boolean human,
            List<String> rules,
            Instant decidedAt,
            @Nullable String publicReason,
            @Nullable Map<String, Double> scores,
            CommentModerated.@Nullable Statement statement) {

        static DecisionRecord of(ModerationDecision decision) {
            return new DecisionRecord(
                    decision.revision(),
                    decision.outcome(),
                    decision.human(),
                    decision.reasons().stream()
                            .map(ModerationDecision.Reason::ruleId)
                            .toList(),
                    decision.decidedAt(),
                    decision.publicReason(),
                    decision.scores().isEmpty() ? null : decision.scores(),
                    decision.statement());
        }
    }

    /** A notice of illegal content the address filed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NoticeRecord(
            String type,
            String reportId,
            String commentId,
            String reason,
            @Nullable String note,
            String explanation,
            @Nullable String name,
            @Nullable String email,
            Instant reportedAt) {

        static NoticeRecord of(Report report) {
            var notice = report.notice();
            return new NoticeRecord(
                    "notice",
                    report.id(),
                    report.commentId(),
                    report.reason(),
                    report.note(),
                    notice == null ? "" : notice.explanation(),
                    notice == null ? null : notice.name(),
                    notice == null ? null : notice.email(),
                    report.receivedAt());
        }
    }
}
