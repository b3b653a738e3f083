package dev.talkback.moderation.web;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;

/**
 * Every failure as an RFC 9457 problem detail ({@code application/problem+json}); field problems are listed in an
 * {@code errors} array of {@code {"field", "message"}}. Bean-validation failures are {@code 422}, a body that is not
 * JSON or has a wrong type is {@code 400} (naming the field when it can be told).
 */
@RestControllerAdvice
class ApiProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        if (!problem.errors().isEmpty()) {
            body.setProperty("errors", errors(problem.errors()));
        }
        problem.properties().forEach(body::setProperty);
        HttpHeaders headers = new HttpHeaders();
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, "5");
        }
        return ResponseEntity.status(problem.status()).headers(headers).body(body);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return Mono.just(ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .body(invalid(
                        "The request has invalid fields.",
                        ex.getFieldErrors().stream()
                                .map(error -> new ApiProblem.FieldProblem(
                                        error.getField(), String.valueOf(error.getDefaultMessage()))))));
    }

    /** A query or path parameter outside its constraints (e.g. {@code limit=0}, an unknown {@code sort}): 422. */
    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            ServerWebExchange exchange) {
        return Mono.just(ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .body(invalid(
                        "The request has invalid parameters.",
                        ex.getParameterValidationResults().stream()
                                .flatMap(result -> result.getResolvableErrors().stream()
                                        .map(error -> new ApiProblem.FieldProblem(
                                                String.valueOf(result.getMethodParameter()
                                                        .getParameterName()),
                                                String.valueOf(error.getDefaultMessage())))))));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        String field = fieldOf(ex);
        if (field == null
                && ex.getMethodParameter() != null
                && !ex.getMethodParameter()
                        .hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
            // a query or path parameter of the wrong type, e.g. an unknown status
            field = ex.getMethodParameter().getParameterName();
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                field == null
                        ? "The request is not valid: " + ex.getReason()
                        : "The field " + field + " has a value of the wrong type or an unknown value.");
        if (field != null) {
            body.setProperty(
                    "errors",
                    errors(List.of(
                            new ApiProblem.FieldProblem(field, "has a value of the wrong type or an unknown value"))));
        }
        return Mono.just(ResponseEntity.badRequest().body(body));
    }

    /**
     * A query or path parameter that breaks its constraint ({@code limit} over 500, a malformed article id):
     * method validation throws this one, which the framework would otherwise answer with a 500.
     */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> invalidParameter(ConstraintViolationException ex) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                .body(invalid(
                        "The request has invalid parameters.",
                        ex.getConstraintViolations().stream()
                                .map(violation -> new ApiProblem.FieldProblem(
                                        parameterName(violation.getPropertyPath()), violation.getMessage()))));
    }

    /** {@code audit.limit} → {@code limit}: the method's name is of no use to a client. */
    private static String parameterName(Path path) {
        String name = "";
        for (Path.Node node : path) {
            name = String.valueOf(node.getName());
        }
        return name;
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(DataAccessException ex) {
        log.warn("Moderation store unavailable: {}", ex.getClass().getName());
        return apiProblem(new ApiProblem(
                HttpStatus.SERVICE_UNAVAILABLE, "The moderation store is unavailable; try again later."));
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
    private static ProblemDetail invalid(String detail, java.util.stream.Stream<ApiProblem.FieldProblem> problems) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, detail);
        body.setProperty(
                "errors",
                errors(problems.sorted(Comparator.comparing(ApiProblem.FieldProblem::field))
                        .toList()));
        return body;
    }

    private static List<Map<String, String>> errors(List<ApiProblem.FieldProblem> problems) {
        return problems.stream()
                .map(p -> Map.of("field", p.field(), "message", p.message()))
                .toList();
    }
}
