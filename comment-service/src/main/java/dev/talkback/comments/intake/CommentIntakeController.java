package dev.talkback.comments.intake;

import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.comments.StatusTokens;
import dev.talkback.comments.edge.SubmissionLimits;
import dev.talkback.comments.published.CommentRenderer;
import dev.talkback.comments.published.PublishedComments;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.ApiProblem.FieldProblem;
import dev.talkback.support.web.ClientAddressResolver;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/articles/{articleId}/comments}: checks the size, the content type, the JSON and every field,
 * then publishes {@code CommentSubmitted} and answers 202 once Kafka acknowledged it. Nothing is published when any
 * check fails.
 */
@RestController
class CommentIntakeController {

    static final String INVALID_COMMENT = "The comment has invalid fields.";

    private static final int MAX_USER_AGENT = 512;
    static final String TRACE_ID_HEADER = "X-Trace-Id";

    private final long maxBodyBytes;
    private final CommentFormReader reader;
    private final CommentRules rules;
    private final ClientAddressResolver clientAddresses;
    private final PublishedComments readModel;
    private final SubmissionPublisher publisher;
    private final StatusTokens tokens;
    private final CommentIds ids;
    private final ObjectProvider<Tracer> tracer;
    private final SubmissionLimits limits;
    private final CommentRenderer renderer;

    CommentIntakeController(
            CommentsProperties properties,
            JsonMapper jsonMapper,
            PublishedComments readModel,
            SubmissionPublisher publisher,
            StatusTokens tokens,
            CommentIds ids,
            ObjectProvider<Tracer> tracer,
            SubmissionLimits limits,
            CommentRenderer renderer) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.reader = new CommentFormReader(jsonMapper);
        this.rules = new CommentRules(new EmailAddressPolicy());
        this.clientAddresses = properties.clientIp().resolver();
        this.readModel = readModel;
        this.publisher = publisher;
        this.tokens = tokens;
        this.ids = ids;
        this.tracer = tracer;
        this.limits = limits;
        this.renderer = renderer;
    }

    @PostMapping("/api/articles/{articleId}/comments")
    Mono<ResponseEntity<Accepted>> submit(@PathVariable String articleId, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        ArticleIds.requireValid(articleId);
        return JsonRequestBody.read(request, maxBodyBytes)
                .map(reader::read)
                .flatMap(form -> validate(articleId, form))
                .flatMap(comment -> accept(articleId, comment, request));
    }

    private Mono<CommentRules.CleanComment> validate(String articleId, CommentForm form) {
        CommentRules.Checked checked = rules.check(form);
        List<FieldProblem> problems = new ArrayList<>(checked.problems());
        CommentRules.CleanComment comment = checked.comment();
        String parentId = comment.parentId();
        boolean parentNeedsLookup =
                parentId != null && problems.stream().noneMatch(p -> p.field().equals("parentId"));
        Mono<Boolean> parentOk = parentNeedsLookup ? readModel.isPublished(articleId, parentId) : Mono.just(true);
        return parentOk.flatMap(ok -> {
            if (!ok) {
                problems.add(new FieldProblem("parentId", IntakeMessages.UNKNOWN_PARENT));
            }
            return problems.isEmpty()
                    ? Mono.just(comment)
                    : Mono.error(ApiProblem.invalidFields(INVALID_COMMENT, problems));
        });
    }

    private Mono<ResponseEntity<Accepted>> accept(
            String articleId, CommentRules.CleanComment comment, ServerHttpRequest request) {
        // per author and per article, once the comment is valid and before anything is published (429 otherwise)
        limits.check(articleId, comment.email());
        String id = ids.next();
        String userAgent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        var event = new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                id,
                articleId,
                comment.parentId(),
                new CommentSubmitted.Author(
                        comment.name(),
                        comment.email(),
                        comment.website(),
                        comment.notifyReplies(),
                        comment.notifyPublished()),
                comment.text(),
                clientAddresses.resolve(request),
                userAgent);
        String token = tokens.tokenFor(id);
        String statusUrl = "/api/comments/" + id + "/status?token=" + token;
        // the trace this comment travels in (Kafka headers, the moderation, the mail): for support, and to grep logs
        String traceId = currentTraceId();
        String html = renderer.render(comment.text());
        return publisher.publish(event).then(Mono.fromSupplier(() -> {
            var response = ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.LOCATION, statusUrl);
            if (traceId != null) {
                response.header(TRACE_ID_HEADER, traceId);
            }
            return response.body(new Accepted(id, "PENDING", statusUrl, token, html));
        }));
    }

    private @Nullable String currentTraceId() {
        Tracer current = tracer.getIfAvailable();
        Span span = current == null ? null : current.currentSpan();
        return span == null ? null : span.context().traceId();
    }

    /**
     * The answer to an accepted comment; {@code statusToken} lets its author see the moderation outcome, {@code html}
     * is the text rendered as readers will get it, for the author's widget to show it at once.
     */
    record Accepted(String id, String status, String statusUrl, String statusToken, String html) {}
}
