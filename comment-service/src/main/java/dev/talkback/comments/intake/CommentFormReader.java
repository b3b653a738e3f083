package dev.talkback.comments.intake;

import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.ApiProblem.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the request body: malformed JSON, a body that is not an object, and fields of the wrong JSON type are
 * rejected with 400 and a sentence saying what is wrong. Unknown fields are ignored; {@code null} means absent.
 */
class CommentFormReader {

    private final JsonMapper mapper;

    CommentFormReader(JsonMapper mapper) {
        this.mapper = mapper;
    }

    CommentForm read(byte[] body) {
        JsonNode root = object(body);
        List<FieldProblem> typeProblems = new ArrayList<>();
        CommentForm form = new CommentForm(
                string(root, "name", typeProblems),
                string(root, "email", typeProblems),
                string(root, "website", typeProblems),
                string(root, "text", typeProblems),
                string(root, "parentId", typeProblems),
                flag(root, "notifyReplies", typeProblems),
                flag(root, "notifyPublished", typeProblems));
        if (!typeProblems.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Some fields have the wrong JSON type.", typeProblems);
        }
        return form;
    }

    /** A reader's report of a comment; the notice's fields are read whatever the reason, and checked by the rules. */
    ReportForm readReport(byte[] body) {
        JsonNode root = object(body);
        List<FieldProblem> typeProblems = new ArrayList<>();
        ReportForm form = new ReportForm(
                string(root, "reason", typeProblems),
                string(root, "note", typeProblems),
                string(root, "explanation", typeProblems),
                string(root, "name", typeProblems),
                string(root, "email", typeProblems),
                flag(root, "goodFaith", typeProblems));
        if (!typeProblems.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Some fields have the wrong JSON type.", typeProblems);
        }
        return form;
    }

    /** The {@code explanation} of an appeal, {@code null} when absent; other fields are ignored. */
    @Nullable
    String readAppealExplanation(byte[] body) {
        JsonNode root = object(body);
        List<FieldProblem> typeProblems = new ArrayList<>();
        String explanation = string(root, "explanation", typeProblems);
        if (!typeProblems.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Some fields have the wrong JSON type.", typeProblems);
        }
        return explanation;
    }

    /** The {@code text} of a draft to check, {@code null} when absent; other fields are ignored. */
    @Nullable
    String readText(byte[] body) {
        JsonNode root = object(body);
        List<FieldProblem> typeProblems = new ArrayList<>();
        String text = string(root, "text", typeProblems);
        if (!typeProblems.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Some fields have the wrong JSON type.", typeProblems);
        }
        return text;
    }

    private JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException ex) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The body is not valid JSON" + where(ex.getLocation()) + ".");
        }
        if (root == null || !root.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The body must be a JSON object.");
        }
        return root;
    }

    private static @Nullable String string(JsonNode root, String name, List<FieldProblem> problems) {
        return field(root, name, JsonNode::isString, JsonNode::stringValue, "must be a JSON string", problems);
    }

    private static @Nullable Boolean flag(JsonNode root, String name, List<FieldProblem> problems) {
        return field(root, name, JsonNode::isBoolean, JsonNode::booleanValue, IntakeMessages.NOT_A_BOOLEAN, problems);
    }

    private static <T> @Nullable T field(
            JsonNode root,
            String name,
            java.util.function.Predicate<JsonNode> rightType,
            Function<JsonNode, T> value,
            String expectation,
            List<FieldProblem> problems) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!rightType.test(node)) {
            problems.add(new FieldProblem(name, expectation + ", not " + describe(node)));
            return null;
        }
        return value.apply(node);
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isString()) {
            return "a string";
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String where(@Nullable TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
