package dev.talkback.comments;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A failure that reaches the client as an RFC 9457 problem detail, optionally naming the bad fields.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldProblem> errors;
    private final @Nullable Duration retryAfter;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of(), null);
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldProblem> errors) {
        this(status, detail, errors, null);
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldProblem> errors, @Nullable Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static ApiProblem invalidFields(List<FieldProblem> errors) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "The comment has invalid fields.", errors);
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

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /**
     * One bad field and what is wrong with it.
     *
     * @param suggestion a corrected value the client may offer to the reader (an email typo fix), or {@code null}
     */
    public record FieldProblem(
            String field, String message, @Nullable String suggestion) {

        public FieldProblem(String field, String message) {
            this(field, message, null);
        }
    }
}
