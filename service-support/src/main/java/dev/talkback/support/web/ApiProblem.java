package dev.talkback.support.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A failure a client sees as an RFC 9457 problem detail (written by {@link ProblemResponses}): a status, a sentence
 * that says what is wrong, the fields at fault, any further members (the winning decision of a conflict, say) and,
 * for a refusal that passes, when to try again.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldProblem> errors;
    private final Map<String, Object> properties;
    private final @Nullable Duration retryAfter;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldProblem> errors) {
        this(status, detail, errors, Map.of(), null);
    }

    /** A refusal that passes: answered with {@code Retry-After}. */
    public ApiProblem(HttpStatus status, String detail, List<FieldProblem> errors, Duration retryAfter) {
        this(status, detail, errors, Map.of(), retryAfter);
    }

    /** With further members of the problem detail. */
    public ApiProblem(HttpStatus status, String detail, List<FieldProblem> errors, Map<String, Object> properties) {
        this(status, detail, errors, properties, null);
    }

    private ApiProblem(
            HttpStatus status,
            String detail,
            List<FieldProblem> errors,
            Map<String, Object> properties,
            @Nullable Duration retryAfter) {
        // no stack trace: an expected answer, not a fault
        super(detail, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.properties = new LinkedHashMap<>(properties);
        this.retryAfter = retryAfter;
    }

    /** 422 naming the fields at fault. */
    public static ApiProblem invalidFields(String detail, List<FieldProblem> errors) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, detail, errors);
    }

    /** 422 naming one field. */
    public static ApiProblem invalidField(String field, String message) {
        return invalidFields("The request has invalid fields.", List.of(new FieldProblem(field, message)));
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiProblem bodyTooLarge(long maxBytes) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than " + maxBytes + " bytes.");
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /**
     * One bad field and what is wrong with it.
     *
     * @param suggestion a corrected value the client may offer (an email typo fix), or {@code null}
     */
    public record FieldProblem(
            String field, String message, @Nullable String suggestion) {

        public FieldProblem(String field, String message) {
            this(field, message, null);
        }
    }
}
