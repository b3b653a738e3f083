package dev.talkback.comments.published;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.StatusTokens;
import dev.talkback.events.CommentModerated;
import dev.talkback.support.web.ApiProblem;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/comments/{id}/status?token=…}: the author's view of their own comment. A wrong or missing token
 * answers 404, exactly as an unknown id does; a valid token for a comment not yet moderated answers PENDING. Once
 * moderated it carries the comment's {@code html}, rendered as readers get it, so that the author's widget shows it
 * the same way; a rejected comment's answer carries its statement of reasons.
 */
@RestController
class CommentStatusController {

    private final PublishedComments readModel;
    private final StatusTokens tokens;
    private final CommentRenderer renderer;

    CommentStatusController(PublishedComments readModel, StatusTokens tokens, CommentRenderer renderer) {
        this.readModel = readModel;
        this.tokens = tokens;
        this.renderer = renderer;
    }

    @GetMapping("/api/comments/{id}/status")
    Mono<StatusView> status(@PathVariable String id, @RequestParam(required = false) @Nullable String token) {
        if (!CommentIds.isWellFormed(id) || !tokens.isValid(id, token)) {
            return Mono.error(new ApiProblem(HttpStatus.NOT_FOUND, "No comment with this id and token."));
        }
        return readModel
                .findById(id)
                .map(doc -> new StatusView(
                        id,
                        doc.status(),
                        doc.publicReason(),
                        renderer.render(doc.text()),
                        doc.status() == CommentStatus.REJECTED ? doc.statement() : null,
                        doc.appealedAt(),
                        Appeals.review(doc.appealedAt(), doc.appealedRevision(), doc.revision()),
                        Appeals.appealable(
                                doc.status() == CommentStatus.REJECTED,
                                doc.statement() != null,
                                doc.changedAt(),
                                doc.appealedAt(),
                                Instant.now())))
                .defaultIfEmpty(new StatusView(id, CommentStatus.PENDING, null, null, null, null, null, false));
    }

    /**
     * {@code html} is {@code null} until the read model holds the comment (before its first moderation);
     * {@code statement} is the statement of reasons of a rejection (facts, automation, ground, redress), {@code null}
     * otherwise; {@code appealable}: its author may still ask for a human review ({@code appealedAt} once asked);
     * {@code review}: where that review stands ({@code UNDER_REVIEW} until a moderator decides, then {@code DECIDED},
     * with the new status), {@code null} without an appeal.
     */
    record StatusView(
            String id,
            CommentStatus status,
            @Nullable String reason,
            @Nullable String html,
            CommentModerated.@Nullable Statement statement,
            @Nullable Instant appealedAt,
            Appeals.@Nullable Review review,
            boolean appealable) {}
}
