package dev.talkback.moderation.comments;

import dev.talkback.engine.AbuseCategory;
import dev.talkback.events.CommentModerated;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.web.ApiProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The moderators' API on comments: the queues (held, reported, …), one comment with its history and its readers'
 * reports, decisions (one or many), claims, and the statistics. Who may call what is decided in
 * {@code SecurityConfiguration}.
 */
@RestController
@RequestMapping("/api/moderation")
class ModeratedCommentController {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final String ACTIONS = "APPROVE|REJECT|SPAM|HAM|ABUSE|NOT_ABUSE|HOLD";
    private static final String ACTIONS_MESSAGE = "must be one of APPROVE, REJECT, SPAM, HAM, ABUSE, NOT_ABUSE, HOLD";
    private static final String SORTS = "oldest|newest|spam|abuse";
    private static final String SORTS_MESSAGE = "must be one of oldest, newest, spam, abuse";
    private static final String CATEGORIES = "insult|identity|threat|obscene";
    private static final String CATEGORIES_MESSAGE = "must be one of insult, identity, threat, obscene";
    private static final String CATEGORY_WITH_ABUSE = "is only for the action ABUSE";

    private final ModerationQueue queue;
    private final CommentReports reports;
    private final HumanModeration moderation;
    private final ModeratedComments comments;
    private final CommentClients clients;
    private final Duration storeTimeout;
    private final Clock clock;
    private final QueueEvents events;
    private final int maxStreams;
    private final AtomicInteger openStreams = new AtomicInteger();

    ModeratedCommentController(
            ModerationQueue queue,
            HumanModeration moderation,
            ModeratedComments comments,
            ModerationProperties properties,
            Clock clock,
            QueueEvents events,
            CommentReports reports,
            CommentClients clients) {
        this.queue = queue;
        this.clients = clients;
        this.reports = reports;
        this.moderation = moderation;
        this.comments = comments;
        this.storeTimeout = properties.storeTimeout();
        this.clock = clock;
        this.events = events;
        this.maxStreams = properties.console().maxStreams();
    }

    @GetMapping("/comments")
    Mono<QueuePage> queue(
            @RequestParam(defaultValue = "HELD") ModerationQueue.Status status,
            @RequestParam(required = false) @Nullable String articleId,
            @RequestParam(required = false) @Nullable String reason,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String ip,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
            @RequestParam(defaultValue = "oldest") @Pattern(regexp = SORTS, message = SORTS_MESSAGE) String sort,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        if (email != null && email.indexOf('\0') >= 0) {
            // the address is matched as a MongoDB regex, a C string: a NUL cannot be sent (it was a 500)
            throw ApiProblem.invalidField("email", "must not contain a NUL character");
        }
        var filter = new ModerationQueue.Filter(status, articleId, reason, email, ip, from, to);
        var order = ModerationQueue.Order.valueOf(sort.toUpperCase(Locale.ROOT));
        return queue.page(filter, order, limit, cursor)
                .timeout(storeTimeout)
                .onErrorMap(TimeoutException.class, ModeratedCommentController::storeTimedOut)
                .flatMap(page -> items(page.items()).map(items -> new QueuePage(items, page.next())));
    }

    @GetMapping("/comments/{id}")
    Mono<CommentDetail> comment(@PathVariable String id) {
        return comments.findById(id)
                .timeout(storeTimeout)
                .onErrorMap(TimeoutException.class, ModeratedCommentController::storeTimedOut)
                .switchIfEmpty(
                        Mono.error(() -> ApiProblem.notFound("No comment with id " + id + " has been moderated.")))
                .flatMap(this::detail);
    }

    /**
     * What readers reported about a comment, newest first (at most 100): reason, note and, for a notice of illegal
     * content, the notifier's explanation, name and address. A moderator's decision on the comment resolves them.
     */
    @GetMapping("/comments/{id}/reports")
    Mono<List<ReportView>> reports(@PathVariable String id) {
        return reports.of(id, 100)
                .map(ReportView::of)
                .collectList()
                .timeout(storeTimeout)
                .onErrorMap(TimeoutException.class, ModeratedCommentController::storeTimedOut);
    }

    @PostMapping("/comments/{id}/decision")
    Mono<CommentDetail> decide(
            @PathVariable String id, @Valid @RequestBody DecisionRequest request, Principal principal) {
        return moderation
                .decide(
                        id,
                        HumanModeration.Action.valueOf(request.action()),
                        category(request.category()),
                        request.reason(),
                        request.ground() == null ? null : CommentModerated.Statement.Ground.valueOf(request.ground()),
                        request.reference(),
                        request.expectedRevision(),
                        principal.getName(),
                        false)
                .flatMap(this::detail);
    }

    @PostMapping("/comments/decisions")
    Mono<BulkResult> decideMany(@Valid @RequestBody BulkDecisionRequest request, Principal principal) {
        var action = HumanModeration.Action.valueOf(request.action());
        var category = category(request.category());
        return Flux.fromIterable(request.ids().stream().distinct().toList())
                .concatMap(id -> moderation
                        .decide(id, action, category, request.reason(), null, principal.getName(), false)
                        .map(comment -> new BulkItem(id, "OK", comment.decision(), null))
                        .onErrorResume(
                                ApiProblem.class,
                                problem -> Mono.just(new BulkItem(
                                        id,
                                        switch (problem.status()) {
                                            case NOT_FOUND -> "NOT_FOUND";
                                            case CONFLICT -> "CONFLICT";
                                            case SERVICE_UNAVAILABLE -> "STORED_NOT_PUBLISHED";
                                            default -> "FAILED";
                                        },
                                        (ModerationDecision)
                                                problem.properties().get("decision"),
                                        problem.getMessage())))
                        .onErrorResume(e -> Mono.just(new BulkItem(
                                id,
                                "FAILED",
                                null,
                                "Could not decide: " + e.getClass().getSimpleName()))))
                .collectList()
                .map(BulkResult::of);
    }

    @PostMapping("/comments/{id}/claim")
    Mono<ClaimView> claim(@PathVariable String id, Principal principal) {
        return moderation
                .claim(id, principal.getName())
                .map(claim -> new ClaimView(id, claim.moderator(), claim.until()));
    }

    @DeleteMapping("/comments/{id}/claim")
    Mono<ResponseEntity<Void>> release(@PathVariable String id, Principal principal) {
        return moderation
                .release(id, principal.getName())
                .thenReturn(ResponseEntity.noContent().build());
    }

    @GetMapping("/counts")
    Mono<Map<String, Long>> counts() {
        return queue.counts()
                .timeout(storeTimeout)
                .onErrorMap(TimeoutException.class, ModeratedCommentController::storeTimedOut);
    }

    /**
     * The queue's changes as server-sent events ({@code decided}, {@code claimed}, {@code released}, see
     * {@link QueueEvents}) with a comment line every 15 seconds, so that proxies keep the connection open and a dead
     * client is noticed. The stream ends when the token expires (the console reconnects with its renewed token). At
     * most {@code moderation.console.max-streams} at once per instance.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(JwtAuthenticationToken token) {
        if (openStreams.incrementAndGet() > maxStreams) {
            openStreams.decrementAndGet();
            throw new ApiProblem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Too many live queues are open on this instance; the console retries shortly.");
        }
        Instant expiresAt = token.getToken().getExpiresAt();
        Duration left = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
        Flux<ServerSentEvent<Object>> changes = events.changes()
                .map(change -> ServerSentEvent.<Object>builder(change)
                        .event(change.type())
                        .build());
        Flux<ServerSentEvent<Object>> keepAlive = Flux.interval(KEEP_ALIVE)
                .map(tick ->
                        ServerSentEvent.<Object>builder().comment("keep-alive").build());
        return Flux.concat(
                        Flux.just(ServerSentEvent.<Object>builder()
                                .comment("open")
                                .build()),
                        Flux.merge(changes, keepAlive))
                .take(left.isNegative() ? Duration.ZERO : left)
                .doFinally(signal -> openStreams.decrementAndGet());
    }

    @GetMapping("/stats")
    Mono<ModerationQueue.Stats> stats() {
        return queue.stats()
                .timeout(storeTimeout)
                .onErrorMap(TimeoutException.class, ModeratedCommentController::storeTimedOut);
    }

    /** One comment with its client data (while held), its author's history and every decision. */
    private Mono<CommentDetail> detail(ModeratedComment comment) {
        return items(List.of(comment)).map(items -> new CommentDetail(items.get(0), comment.history()));
    }

    /**
     * The page's comments with their client data while it is held (one read for the page) and their authors' histories
     * (one per author; none for an erased comment, which has no author any more).
     */
    private Mono<List<QueueItem>> items(List<ModeratedComment> page) {
        Mono<Map<String, CommentClient>> held =
                clients.of(page.stream().map(ModeratedComment::id).toList());
        Mono<Map<String, ModerationQueue.AuthorHistory>> histories = Flux.fromIterable(page.stream()
                        .map(ModeratedComment::emailKey)
                        .filter(Objects::nonNull)
                        .distinct()
                        .toList())
                .concatMap(key -> queue.historyOf(key).map(history -> Map.entry(key, history)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(held, histories)
                .map(found -> page.stream()
                        .map(comment -> QueueItem.of(
                                comment,
                                found.getT1().get(comment.id()),
                                comment.emailKey() == null
                                        ? null
                                        : found.getT2().get(comment.emailKey()),
                                clock.instant()))
                        .toList());
    }

    private static @Nullable AbuseCategory category(@Nullable String id) {
        return id == null ? null : AbuseCategory.fromId(id).orElseThrow();
    }

    private static Throwable storeTimedOut(Throwable e) {
        return new ApiProblem(
                HttpStatus.SERVICE_UNAVAILABLE, "The moderation store did not answer in time; try again later.");
    }

    /**
     * A human decision.
     *
     * @param action           APPROVE, REJECT, SPAM (rejects and labels spam), HAM (approves and labels not spam),
     *                         ABUSE (rejects and labels abusive), NOT_ABUSE (approves and labels not abusive) or HOLD
     *                         (back into the held queue, label removed: how the console undoes a decision)
     * @param reason           why, for the other moderators and the audit log (at most 500 characters)
     * @param expectedRevision optional: the revision the moderator looked at; if the comment has moved on, 409
     * @param category         optional, with ABUSE only: insult, identity, threat or obscene
     * @param ground           optional, for a rejection's statement of reasons: LAW (the comment is illegal) or TERMS
     *                         (against the site's terms, the default)
     * @param reference        the legal provision (required with LAW) or the clause of the terms (default: the
     *                         configured {@code moderation.statements.terms-reference}), at most 200 characters
     */
    record DecisionRequest(
            @NotNull @Pattern(regexp = ACTIONS, message = ACTIONS_MESSAGE)
            String action,

            @Nullable @Size(max = 500) String reason,
            @Nullable @Positive Integer expectedRevision,

            @Nullable @Pattern(regexp = CATEGORIES, message = CATEGORIES_MESSAGE)
            String category,

            @Nullable @Pattern(regexp = "LAW|TERMS", message = "must be LAW or TERMS")
            String ground,

            @Nullable @Size(max = 200) String reference) {

        @AssertTrue(message = CATEGORY_WITH_ABUSE)
        boolean isCategoryWithAbuse() {
            return category == null || "ABUSE".equals(action);
        }

        @AssertTrue(message = "must name the legal provision when the ground is LAW")
        boolean isReference() {
            return !"LAW".equals(ground) || reference != null && !reference.isBlank();
        }
    }

    /** The same decision on many comments (at most 100), answered id by id. */
    record BulkDecisionRequest(
            @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 100) String> ids,

            @NotNull @Pattern(regexp = ACTIONS, message = ACTIONS_MESSAGE)
            String action,

            @Nullable @Size(max = 500) String reason,

            @Nullable @Pattern(regexp = CATEGORIES, message = CATEGORIES_MESSAGE)
            String category) {

        @AssertTrue(message = CATEGORY_WITH_ABUSE)
        boolean isCategoryWithAbuse() {
            return category == null || "ABUSE".equals(action);
        }
    }

    /**
     * The outcome for one id of a bulk decision.
     *
     * @param result   OK, NOT_FOUND, CONFLICT (decided or claimed by someone else meanwhile), STORED_NOT_PUBLISHED
     *                 (stored; the re-publisher will send it) or FAILED
     * @param decision the decision now in force (the new one, or the one that won), when known
     */
    record BulkItem(
            String id,
            String result,
            @Nullable ModerationDecision decision,
            @Nullable String detail) {}

    record BulkResult(int ok, int failed, List<BulkItem> results) {

        static BulkResult of(List<BulkItem> results) {
            int ok = (int)
                    results.stream().filter(item -> item.result().equals("OK")).count();
            return new BulkResult(ok, results.size() - ok, results);
        }
    }

    record ClaimView(String id, String moderator, Instant until) {}

    record QueuePage(List<QueueItem> items, @Nullable String next) {}

    /**
     * One comment as moderators see it: with the author's address, IP address and user agent, which only they may see,
     * while they are held ({@code moderation.privacy.client-data-retention}); {@code null} afterwards.
     */
    record QueueItem(
            String id,
            String articleId,
            @Nullable String parentId,
            Author author,
            String text,
            @Nullable String clientIp,
            @Nullable String userAgent,
            Instant submittedAt,
            ModerationDecision decision,
            ModerationQueue.@Nullable AuthorHistory authorHistory,
            @Nullable String label,
            @Nullable String labelCategory,
            ModeratedComment.@Nullable Claim claim,
            ModeratedComment.@Nullable Reported reported,
            ModeratedComment.@Nullable Appeal appeal) {

        /** The item; a claim whose lease has ended is not shown. */
        static QueueItem of(
                ModeratedComment comment,
                @Nullable CommentClient client,
                ModerationQueue.@Nullable AuthorHistory history,
                Instant now) {
            var author = comment.author();
            var claim = comment.claim() != null && comment.claim().until().isAfter(now) ? comment.claim() : null;
            return new QueueItem(
                    comment.id(),
                    comment.articleId(),
                    comment.parentId(),
                    new Author(author.name(), client == null ? null : client.email(), author.website()),
                    comment.text(),
                    client == null ? null : client.clientIp(),
                    client == null ? null : client.userAgent(),
                    comment.submittedAt(),
                    comment.decision(),
                    history,
                    comment.label(),
                    comment.labelCategory(),
                    claim,
                    comment.reported(),
                    comment.appeal());
        }
    }

    record Author(
            String name, @Nullable String email, @Nullable String website) {}

    /** One reader's report as moderators see it (the reporter's address is not shown: it only counts reporters). */
    record ReportView(
            String id,
            String reason,
            @Nullable String note,
            Report.@Nullable Notice notice,
            Instant receivedAt,
            @Nullable Instant resolvedAt,
            @Nullable String resolution) {

        static ReportView of(Report report) {
            return new ReportView(
                    report.id(),
                    report.reason(),
                    report.note(),
                    report.notice(),
                    report.receivedAt(),
                    report.resolvedAt(),
                    report.resolution());
        }
    }

    /** One comment with every decision taken on it, oldest first. */
    record CommentDetail(
            @com.fasterxml.jackson.annotation.JsonUnwrapped QueueItem comment, List<ModerationDecision> history) {}
}
