package dev.talkback.support.web;

import io.netty.channel.ChannelException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;

/**
 * Every failure of a service's HTTP API as an RFC 9457 problem detail ({@code application/problem+json}): an
 * {@link ApiProblem} as it says, the framework's own exceptions as Spring answers them, and these besides. Field
 * problems are listed in an {@code errors} array of {@code {"field", "message"}} (and {@code "suggestion"} where
 * there is one): bean-validation failures are 422, a body that is not JSON or has a value of the wrong type 400
 * (naming the field when it can be told), a body over the limit 413, a request that did not arrive in time 408, a
 * store that does not answer 503 with {@code Retry-After}, anything else 500 without details, logged.
 *
 * <p>A service declares it as a bean with its limits; 401 and 403, written before a controller is reached, are
 * {@code dev.talkback.support.security.AccessProblems}.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final long maxBodyBytes;
    private final Duration retryAfter;

    /**
     * @param maxBodyBytes the largest request body the service reads, named in the 413's detail
     * @param retryAfter when to try again after a 503 that does not say so itself
     */
    public ProblemResponses(long maxBodyBytes, Duration retryAfter) {
        this.maxBodyBytes = maxBodyBytes;
        this.retryAfter = retryAfter;
    }

    @ExceptionHandler(ApiProblem.class)
    public ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        if (!problem.errors().isEmpty()) {
            body.setProperty("errors", errors(problem.errors().stream()));
        }
        problem.properties().forEach(body::setProperty);
        HttpHeaders headers = new HttpHeaders();
        Duration wait = problem.retryAfter() != null
                ? problem.retryAfter()
                : problem.status() == HttpStatus.SERVICE_UNAVAILABLE ? retryAfter : null;
        if (wait != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())));
        }
        // named here, not negotiated: a problem on an endpoint that produces another type (a live stream's
        // text/event-stream) is still a problem detail
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(problem.status()).headers(headers).body(body);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return Mono.just(invalid(
                "The request has invalid fields.",
                ex.getFieldErrors().stream()
                        .map(error -> new ApiProblem.FieldProblem(
                                error.getField(), String.valueOf(error.getDefaultMessage())))));
    }

    /** A query or path parameter outside its constraints (e.g. {@code limit=0}, an unknown {@code sort}): 422. */
    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            ServerWebExchange exchange) {
        return Mono.just(invalid(
                "The request has invalid parameters.",
                ex.getParameterValidationResults().stream()
                        .flatMap(result -> result.getResolvableErrors().stream()
                                .map(error -> new ApiProblem.FieldProblem(
                                        String.valueOf(
                                                result.getMethodParameter().getParameterName()),
                                        String.valueOf(error.getDefaultMessage()))))));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        String field = fieldOf(ex);
        if (field == null
                && ex.getMethodParameter() != null
                && !ex.getMethodParameter().hasParameterAnnotation(RequestBody.class)) {
            // a query or path parameter of the wrong type, e.g. an unknown status
            field = ex.getMethodParameter().getParameterName();
        }
        ApiProblem problem = field == null
                ? new ApiProblem(HttpStatus.BAD_REQUEST, "The request is not valid: " + ex.getReason())
                : new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "The field " + field + " has a value of the wrong type or an unknown value.",
                        List.of(new ApiProblem.FieldProblem(
                                field, "has a value of the wrong type or an unknown value")));
        return Mono.just(asObject(apiProblem(problem)));
    }

    /**
     * A query or path parameter that breaks its constraint ({@code limit} over 500, a malformed article id): method
     * validation throws this one, which the framework would otherwise answer with a 500.
     */
    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<Object> invalidParameter(ConstraintViolationException ex) {
        return invalid(
                "The request has invalid parameters.",
                ex.getConstraintViolations().stream()
                        .map(violation -> new ApiProblem.FieldProblem(
                                parameterName(violation.getPropertyPath()), violation.getMessage())));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    public ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException ex) {
        return apiProblem(ApiProblem.bodyTooLarge(maxBodyBytes));
    }

    /**
     * The client's connection failed while its request was read, e.g. a body not received within the server's
     * request timeout (reactor-netty's, which also answers 408 and closes the connection): the client's doing, not a
     * failure of ours.
     */
    @ExceptionHandler(ChannelException.class)
    public ResponseEntity<ProblemDetail> requestNotReceived(ChannelException ex) {
        log.debug("Request not received: {}", ex.toString());
        return apiProblem(new ApiProblem(HttpStatus.REQUEST_TIMEOUT, "The request did not arrive in time."));
    }

    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<ProblemDetail> storeUnavailable(DataAccessException ex) {
        // the class only: a driver's message can quote the document, with personal data in it
        log.warn("Store unavailable: {}", ex.getClass().getName());
        return apiProblem(
                new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "The service's store is unavailable; try again later."));
    }

    /** Anything the handlers above and the framework's do not know: logged, answered as 500 without details. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception ex, ServerWebExchange exchange) {
        log.error(
                "Unexpected failure on {} {}",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(),
                ex);
        return apiProblem(new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side."));
    }

    /** {@code audit.limit} → {@code limit}: the method's name is of no use to a client. */
    private static String parameterName(Path path) {
        String name = "";
        for (Path.Node node : path) {
            name = String.valueOf(node.getName());
        }
        return name;
    }

    private static @Nullable String fieldOf(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabindException databind
                    && !databind.getPath().isEmpty()) {
                return databind.getPath().stream()
                        .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                        .orElse(null);
            }
            if (cause instanceof DecodingException && cause.getCause() == null) {
                return null;
            }
        }
        return null;
    }

    /** 422 listing the fields at fault, sorted by field. */
    private ResponseEntity<Object> invalid(String detail, Stream<ApiProblem.FieldProblem> problems) {
        ApiProblem problem = ApiProblem.invalidFields(
                detail,
                problems.sorted(Comparator.comparing(ApiProblem.FieldProblem::field))
                        .toList());
        return asObject(apiProblem(problem));
    }

    /** The framework's handler methods answer {@code ResponseEntity<Object>}: the same answer, headers and all. */
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> answer) {
        return new ResponseEntity<>(answer.getBody(), answer.getHeaders(), answer.getStatusCode());
    }

    private static List<Map<String, String>> errors(Stream<ApiProblem.FieldProblem> problems) {
        return problems.map(problem -> {
                    Map<String, String> error = new LinkedHashMap<>();
                    error.put("field", problem.field());
                    error.put("message", problem.message());
                    if (problem.suggestion() != null) {
                        error.put("suggestion", problem.suggestion());
                    }
                    return error;
                })
                .toList();
    }
}
