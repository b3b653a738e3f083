package dev.talkback.comments.edge;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.ClientAddressResolver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests per client address on the reader API, counted before anything else is done with them (before a body is
 * read): {@code POST /api/articles/{articleId}/comments} against {@code comments.rate-limits.per-address},
 * {@code POST /api/articles/{articleId}/comments/check} (the nudge's draft check) against
 * {@code comments.rate-limits.checks}, {@code POST /api/comments/{commentId}/reports} and
 * {@code POST /api/comments/{commentId}/appeal} against {@code comments.rate-limits.reports}, every other {@code /api/**} request (pages, status checks, stream opens)
 * against the more generous {@code comments.rate-limits.reads}. Beyond them: {@code 429} with {@code Retry-After}, an RFC 9457 problem detail.
 * It runs after the CORS filter, so that the widget on a news site can read the answer.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    /** After {@code SiteCors} (order 0): a refused cross-origin request still carries its CORS headers. */
    static final int ORDER = 10;

    private static final PathPattern SUBMISSION =
            PathPatternParser.defaultInstance.parse("/api/articles/{articleId}/comments");
    private static final PathPattern DRAFT_CHECK =
            PathPatternParser.defaultInstance.parse("/api/articles/{articleId}/comments/check");
    private static final PathPattern REPORT =
            PathPatternParser.defaultInstance.parse("/api/comments/{commentId}/reports");
    private static final PathPattern APPEAL =
            PathPatternParser.defaultInstance.parse("/api/comments/{commentId}/appeal");
    private static final PathPattern READER_API = PathPatternParser.defaultInstance.parse("/api/**");

    private final ClientAddressResolver clientAddresses;
    private final KeyedBuckets posts;
    private final KeyedBuckets reads;
    private final KeyedBuckets checks;
    private final KeyedBuckets reports;
    private final JsonMapper json;

    RateLimitFilter(CommentsProperties properties, JsonMapper json) {
        this.clientAddresses = properties.clientIp().resolver();
        this.posts = new KeyedBuckets(
                properties.rateLimits().perAddress(), properties.rateLimits().maxKeys());
        this.reads = new KeyedBuckets(
                properties.rateLimits().reads(), properties.rateLimits().maxKeys());
        this.checks = new KeyedBuckets(
                properties.rateLimits().checks(), properties.rateLimits().maxKeys());
        this.reports = new KeyedBuckets(
                properties.rateLimits().reports(), properties.rateLimits().maxKeys());
        this.json = json;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        PathContainer path = request.getPath().pathWithinApplication();
        if (!READER_API.matches(path) || HttpMethod.OPTIONS.equals(request.getMethod())) {
            return chain.filter(exchange);
        }
        boolean post = HttpMethod.POST.equals(request.getMethod());
        KeyedBuckets buckets = reads;
        String refusal = "Too many requests from your address.";
        if (post && SUBMISSION.matches(path)) {
            buckets = posts;
            refusal = "You are posting too fast.";
        } else if (post && DRAFT_CHECK.matches(path)) {
            buckets = checks;
            refusal = "You are checking drafts too fast.";
        } else if (post && REPORT.matches(path)) {
            buckets = reports;
            refusal = "You have sent too many reports.";
        } else if (post && APPEAL.matches(path)) {
            // an appeal is a report about a decision: the same bucket, counted before the token is checked
            buckets = reports;
            refusal = "You have asked for too many reviews.";
        }
        String client = clientAddresses.resolve(request);
        @Nullable Duration wait = client == null ? null : buckets.take(client);
        if (wait == null) {
            return chain.filter(exchange);
        }
        ApiProblem problem = tooManyRequests(refusal, wait);
        return write(exchange.getResponse(), problem, request.getPath().value());
    }

    /** A {@code 429} whose {@code Retry-After} is rounded up to whole seconds: a client that waits that long gets in. */
    static ApiProblem tooManyRequests(String detail, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new ApiProblem(
                HttpStatus.TOO_MANY_REQUESTS,
                detail + " Try again in " + seconds + " seconds.",
                List.of(),
                Duration.ofSeconds(seconds));
    }

    /** The problem detail as {@code ProblemResponses} would write it (a filter is outside the controller advice). */
    Mono<Void> write(ServerHttpResponse response, ApiProblem problem, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", problem.status().getReasonPhrase());
        body.put("status", problem.status().value());
        body.put("detail", problem.getMessage());
        body.put("instance", instance);
        response.setStatusCode(problem.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.retryAfter() != null) {
            response.getHeaders()
                    .set(
                            HttpHeaders.RETRY_AFTER,
                            Long.toString(problem.retryAfter().toSeconds()));
        }
        DataBuffer buffer =
                response.bufferFactory().wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
