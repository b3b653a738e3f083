package dev.talkback.comments.intake;

import dev.talkback.comments.CommentIds;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.ApiProblem.FieldProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Content rules of a comment. Lengths count Unicode code points after trimming.
 * <ul>
 * <li>{@code name}: required, at most {@value #MAX_NAME}, no control characters</li>
 * <li>{@code email}: required, at most {@value EmailAddressPolicy#MAX_LENGTH}, syntax by the engine's
 * {@link EmailAddressPolicy} (the one implementation shared with moderation)</li>
 * <li>{@code website}: optional (empty means none), an absolute http or https URL with a host, at most {@value #MAX_WEBSITE}</li>
 * <li>{@code text}: required, 1 to {@value #MAX_TEXT} characters</li>
 * <li>{@code parentId}: optional; its existence as a published comment is checked by the intake</li>
 * </ul>
 */
class CommentRules {

    static final int MAX_NAME = 100;
    static final int MAX_WEBSITE = 200;
    static final int MAX_TEXT = 10_000;

    private final EmailAddressPolicy emailPolicy;

    CommentRules(EmailAddressPolicy emailPolicy) {
        this.emailPolicy = emailPolicy;
    }

    /** The checked and trimmed comment, and the problems found (empty when it is acceptable). */
    record Checked(CleanComment comment, List<FieldProblem> problems) {}

    /** A comment whose fields passed the rules; {@code parentId} still needs the read-model check. */
    record CleanComment(
            String name,
            String email,
            @Nullable String website,
            String text,
            @Nullable String parentId,
            boolean notifyReplies,
            boolean notifyPublished) {}

    Checked check(CommentForm form) {
        List<FieldProblem> problems = new ArrayList<>();

        String name = trim(form.name());
        nameProblem(name).ifPresent(problems::add);

        String email = trim(form.email());
        emailProblem(email).ifPresent(problems::add);

        String website = trim(form.website());
        if (website != null && website.isEmpty()) {
            website = null;
        }
        if (website != null) {
            if (length(website) > MAX_WEBSITE) {
                problems.add(new FieldProblem("website", "must be at most " + MAX_WEBSITE + " characters"));
            } else if (!isWebUrl(website)) {
                problems.add(new FieldProblem("website", "must be an http:// or https:// URL"));
            }
        }

        String text = trim(form.text());
        textProblem(text).ifPresent(problems::add);

        String parentId = trim(form.parentId());
        if (parentId != null && parentId.isEmpty()) {
            parentId = null;
        }
        if (parentId != null && !CommentIds.isWellFormed(parentId)) {
            problems.add(new FieldProblem("parentId", IntakeMessages.UNKNOWN_PARENT));
        }

        CleanComment clean = new CleanComment(
                orEmpty(name),
                orEmpty(email),
                website,
                orEmpty(text),
                parentId,
                Boolean.TRUE.equals(form.notifyReplies()),
                Boolean.TRUE.equals(form.notifyPublished()));
        return new Checked(clean, problems);
    }

    /** The rule of a person's name (a commenter's, a notifier's), under the field {@code name}; trimmed already. */
    static Optional<FieldProblem> nameProblem(@Nullable String name) {
        if (name == null) {
            return Optional.of(new FieldProblem("name", "is required"));
        }
        if (name.isEmpty()) {
            return Optional.of(new FieldProblem("name", "must not be blank"));
        }
        if (length(name) > MAX_NAME) {
            return Optional.of(new FieldProblem("name", "must be at most " + MAX_NAME + " characters"));
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of(new FieldProblem("name", "must not contain line breaks or control characters"));
        }
        return Optional.empty();
    }

    /** The rule of a contact address, under the field {@code email}; trimmed already. */
    Optional<FieldProblem> emailProblem(@Nullable String email) {
        if (email == null) {
            return Optional.of(new FieldProblem("email", "is required"));
        }
        Optional<String> problem = emailPolicy.problemWith(email);
        if (problem.isPresent()) {
            return Optional.of(new FieldProblem("email", problem.get()));
        }
        // A known misspelling of a common provider would bounce every mail: ask the reader first.
        return emailPolicy
                .suggestionFor(email)
                .map(fix -> new FieldProblem("email", "looks like a misspelling of a common mail provider", fix));
    }

    /**
     * The text of a draft checked before posting, under the same rule as a comment's.
     *
     * @return the trimmed text
     * @throws ApiProblem {@code 422} naming the field {@code text} when it breaks the rule
     */
    static String checkDraftText(@Nullable String text) {
        String trimmed = trim(text);
        Optional<FieldProblem> problem = textProblem(trimmed);
        if (problem.isPresent()) {
            throw ApiProblem.invalidFields(CommentIntakeController.INVALID_COMMENT, List.of(problem.get()));
        }
        return orEmpty(trimmed);
    }

    private static Optional<FieldProblem> textProblem(@Nullable String text) {
        if (text == null) {
            return Optional.of(new FieldProblem("text", "is required"));
        }
        if (text.isEmpty()) {
            return Optional.of(new FieldProblem("text", "must not be blank"));
        }
        if (length(text) > MAX_TEXT) {
            return Optional.of(new FieldProblem("text", "must be at most " + MAX_TEXT + " characters"));
        }
        return Optional.empty();
    }

    private static boolean isWebUrl(String value) {
        if (value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return false;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || uri.getHost().isEmpty()) {
                return false;
            }
            String lower = scheme.toLowerCase(Locale.ROOT);
            return lower.equals("http") || lower.equals("https");
        } catch (URISyntaxException ex) {
            return false;
        }
    }

    static @Nullable String trim(@Nullable String value) {
        return value == null ? null : value.strip();
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    static int length(String value) {
        return value.codePointCount(0, value.length());
    }
}
