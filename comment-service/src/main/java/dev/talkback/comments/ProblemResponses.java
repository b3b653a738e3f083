package dev.talkback.comments;

import io.netty.channel.ChannelException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Turns every failure into an RFC 9457 problem detail ({@code application/problem+json}); field problems are listed
 * in an {@code errors} array of {@code {"field", "message"}}.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final CommentsProperties properties;

    ProblemResponses(CommentsProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        if (!problem.errors().isEmpty()) {
            body.setProperty(
                    "errors",
                    problem.errors().stream()
                            .map(e -> e.suggestion() == null
                                    ? Map.of("field", e.field(), "message", e.message())
                                    : Map.of("field", e.field(), "message", e.message(), "suggestion", e.suggestion()))
                            .toList());
        }
        HttpHeaders headers = new HttpHeaders();
        if (problem.retryAfter() != null) {
            headers.set(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
        }
        // named here, not negotiated: a problem on an endpoint that produces another type (the live stream's
        // text/event-stream) is still a problem detail
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(problem.status()).headers(headers).body(body);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException ex) {
        return apiProblem(ApiProblem.bodyTooLarge(properties.maxBodySize().toBytes()));
    }

    /**
     * The client's connection failed while its request was read, e.g. a body not received within
     * {@code comments.timeouts.body} (reactor-netty's request timeout, which also answers 408 and closes the
     * connection): the client's doing, not a failure of ours.
     */
    @ExceptionHandler(ChannelException.class)
    ResponseEntity<ProblemDetail> requestNotReceived(ChannelException ex) {
        log.debug("Request not received: {}", ex.toString());
        return apiProblem(new ApiProblem(HttpStatus.REQUEST_TIMEOUT, "The request did not arrive in time."));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(DataAccessException ex) {
        log.warn("Read model unavailable: {}", ex.getMessage());
        return apiProblem(new ApiProblem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "The comment store is unavailable, try again later.",
                List.of(),
                properties.retryAfter()));
    }

    /** Anything the framework handlers above do not know: logged, answered as 500 without details. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, ServerWebExchange exchange) {
        log.error(
                "Unexpected failure on {} {}",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(),
                ex);
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(body);
    }
}
