package dev.talkback.comments.intake;

import dev.talkback.events.CommentReported;
import dev.talkback.support.web.ApiProblem.FieldProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Content rules of a report. Lengths count Unicode code points after trimming.
 * <ul>
 * <li>{@code reason}: required, one of {@link CommentReported.Reason} (any case, {@code -} for {@code _})</li>
 * <li>{@code note}: optional, at most {@value #MAX_NOTE}</li>
 * <li>for {@code ILLEGAL_CONTENT}, the notice of Art. 16(2) DSA: {@code explanation} required, at most
 * {@value #MAX_EXPLANATION}; {@code name} and {@code email} required, as a commenter's; {@code goodFaith} must be
 * {@code true}. For the other reasons these fields are ignored: a report needs no name or address.</li>
 * </ul>
 */
class ReportRules {

    static final int MAX_NOTE = 1_000;
    static final int MAX_EXPLANATION = 5_000;

    private static final String REASONS = Arrays.stream(CommentReported.Reason.values())
            .map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .collect(Collectors.joining(", "));

    private final CommentRules commentRules;

    ReportRules(CommentRules commentRules) {
        this.commentRules = commentRules;
    }

    /** The checked report, and the problems found (empty when it is acceptable). */
    record Checked(@Nullable CleanReport report, List<FieldProblem> problems) {}

    record CleanReport(
            CommentReported.Reason reason, @Nullable String note, CommentReported.@Nullable Notice notice) {}

    Checked check(ReportForm form) {
        List<FieldProblem> problems = new ArrayList<>();
        CommentReported.Reason reason = reason(CommentRules.trim(form.reason()), problems);

        String note = CommentRules.trim(form.note());
        if (note != null && note.isEmpty()) {
            note = null;
        }
        if (note != null && CommentRules.length(note) > MAX_NOTE) {
            problems.add(new FieldProblem("note", "must be at most " + MAX_NOTE + " characters"));
        }

        CommentReported.Notice notice = null;
        if (reason == CommentReported.Reason.ILLEGAL_CONTENT) {
            String explanation = CommentRules.trim(form.explanation());
            if (explanation == null || explanation.isEmpty()) {
                problems.add(new FieldProblem("explanation", "is required for a notice of illegal content"));
            } else if (CommentRules.length(explanation) > MAX_EXPLANATION) {
                problems.add(new FieldProblem("explanation", "must be at most " + MAX_EXPLANATION + " characters"));
            }
            String name = CommentRules.trim(form.name());
            CommentRules.nameProblem(name).ifPresent(problems::add);
            String email = CommentRules.trim(form.email());
            commentRules.emailProblem(email).ifPresent(problems::add);
            if (!Boolean.TRUE.equals(form.goodFaith())) {
                problems.add(new FieldProblem(
                        "goodFaith", "must be true: a notice is filed in good faith, accurate and complete"));
            }
            if (problems.isEmpty()) {
                notice = new CommentReported.Notice(explanation, name, email, true);
            }
        }
        return new Checked(
                problems.isEmpty() && reason != null ? new CleanReport(reason, note, notice) : null, problems);
    }

    private static CommentReported.@Nullable Reason reason(@Nullable String value, List<FieldProblem> problems) {
        if (value == null || value.isEmpty()) {
            problems.add(new FieldProblem("reason", "is required: one of " + REASONS));
            return null;
        }
        String name = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (CommentReported.Reason reason : CommentReported.Reason.values()) {
            if (reason.name().equals(name)) {
                return reason;
            }
        }
        problems.add(new FieldProblem("reason", "must be one of " + REASONS));
        return null;
    }
}
