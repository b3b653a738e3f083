package dev.talkback.moderation.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure a client should see as an RFC 9457 problem detail: a status, a sentence, the fields at fault and any
 * further members (e.g. the winning decision of a conflict).
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldProblem> errors;
    private final Map<String, Object> properties;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of(), Map.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldProblem> errors, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.properties = new LinkedHashMap<>(properties);
    }

    /** 422 naming one field. */
    public static ApiProblem invalidField(String field, String message) {
        return new ApiProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "The request has invalid fields.",
                List.of(new FieldProblem(field, message)),
                Map.of());
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
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

    /** One bad field and what is wrong with it. */
    public record FieldProblem(String field, String message) {}
}
