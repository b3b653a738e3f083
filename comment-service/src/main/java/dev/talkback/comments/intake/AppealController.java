package dev.talkback.comments.intake;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.comments.StatusTokens;
import dev.talkback.comments.published.Appeals;
import dev.talkback.comments.published.PublishedComments;
import dev.talkback.events.CommentAppealed;
import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.ApiProblem.FieldProblem;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/comments/{id}/appeal?token=…}: the author of a rejected comment asks for a human review, once,
 * within six months of the decision, with an optional {@code explanation} (at most 1,000 characters). The status token
 * proves authorship (a wrong one is a 404, as an unknown id). The comment is marked appealed, then
 * {@code CommentAppealed} is published; when Kafka does not acknowledge, the mark is taken back and the answer is 503.
 */
@RestController
class AppealController {

    static final int MAX_EXPLANATION = 1_000;

    private final long maxBodyBytes;
    private final CommentFormReader reader;
    private final PublishedComments readModel;
    private final SubmissionPublisher publisher;
    private final StatusTokens tokens;

    AppealController(
            CommentsProperties properties,
            JsonMapper jsonMapper,
            PublishedComments readModel,
            SubmissionPublisher publisher,
            StatusTokens tokens) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.reader = new CommentFormReader(jsonMapper);
        this.readModel = readModel;
        this.publisher = publisher;
        this.tokens = tokens;
    }

    @PostMapping("/api/comments/{id}/appeal")
    Mono<ResponseEntity<Appealed>> appeal(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String token,
            ServerWebExchange exchange) {
        if (!CommentIds.isWellFormed(id) || !tokens.isValid(id, token)) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "No comment with this id and token.");
        }
        ServerHttpRequest request = exchange.getRequest();
        // the body is optional: an appeal may say nothing more
        Mono<String> explanation = request.getHeaders().getContentLength() == 0
                        || request.getHeaders().getContentType() == null
                ? Mono.just("")
                : JsonRequestBody.read(request, maxBodyBytes)
                        .map(body -> Objects.requireNonNullElse(reader.readAppealExplanation(body), ""));
        return explanation.defaultIfEmpty("").flatMap(raw -> {
            String text = CommentRules.trim(raw);
            if (text != null && CommentRules.length(text) > MAX_EXPLANATION) {
                throw ApiProblem.invalidFields(
                        "The appeal has invalid fields.",
                        List.of(new FieldProblem("explanation", "must be at most " + MAX_EXPLANATION + " characters")));
            }
            String note = text == null || text.isEmpty() ? null : text;
            Instant now = Instant.now();
            return readModel
                    .rejection(id)
                    .switchIfEmpty(Mono.error(
                            () -> new ApiProblem(HttpStatus.CONFLICT, "Only a rejected comment can be appealed.")))
                    .flatMap(rejection -> {
                        if (rejection.appealedAt() != null) {
                            return Mono.error(new ApiProblem(
                                    HttpStatus.CONFLICT, "A human review of this decision was asked for already."));
                        }
                        if (!Appeals.appealable(true, rejection.hasStatement(), rejection.decidedAt(), null, now)) {
                            return Mono.error(new ApiProblem(
                                    HttpStatus.CONFLICT,
                                    "This decision can no longer be appealed: an appeal is accepted within six"
                                            + " months of it."));
                        }
                        return readModel
                                .markAppealed(id, rejection.revision(), now)
                                .flatMap(marked -> {
                                    if (!marked) {
                                        return Mono.error(new ApiProblem(
                                                HttpStatus.CONFLICT,
                                                "The decision changed meanwhile, or was appealed already."));
                                    }
                                    var event = new CommentAppealed(
                                            UUID.randomUUID(),
                                            now,
                                            id,
                                            rejection.articleId(),
                                            rejection.revision(),
                                            note);
                                    return publisher
                                            .publish(event)
                                            .onErrorResume(ex ->
                                                    readModel.unmarkAppealed(id).then(Mono.error(ex)))
                                            .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
                                                    .body(new Appealed(id, now)));
                                });
                    });
        });
    }

    /** The answer to an appeal: the comment, and when its review was asked for. */
    record Appealed(String id, Instant appealedAt) {}
}
