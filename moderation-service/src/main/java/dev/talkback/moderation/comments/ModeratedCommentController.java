package dev.talkback.moderation.comments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import reactor.core.publisher.Mono;

import dev.talkback.moderation.ModerationProperties;

/**
 * Read-only view of a moderated comment and its decisions, for moderators. Not yet secured (a later issue adds
 * Spring Security), so it leaves out the author's email address, IP address and user agent.
 */
@RestController
@RequestMapping("/api/moderation/comments")
class ModeratedCommentController {

    private final ModeratedComments comments;
    private final Duration storeTimeout;

    ModeratedCommentController(ModeratedComments comments, ModerationProperties properties) {
        this.comments = comments;
        this.storeTimeout = properties.storeTimeout();
    }

    @GetMapping("/{id}")
    Mono<ModeratedCommentView> comment(@PathVariable String id) {
        return comments.findById(id)
                .timeout(storeTimeout)
                .onErrorMap(TimeoutException.class, e -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                        "The moderation store did not answer in time; try again later.", e))
                .map(ModeratedCommentView::of)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No comment with id " + id + " has been moderated.")));
    }

    /** What the endpoint returns: the comment without contact details, with its current decision and history. */
    record ModeratedCommentView(
            String id,
            String articleId,
            @Nullable String parentId,
            String authorName,
            @Nullable String website,
            String text,
            Instant submittedAt,
            ModerationDecision decision,
            List<ModerationDecision> history) {

        static ModeratedCommentView of(ModeratedComment comment) {
            return new ModeratedCommentView(comment.id(), comment.articleId(), comment.parentId(),
                    comment.author().name(), comment.author().website(), comment.text(), comment.submittedAt(),
                    comment.decision(), comment.history());
        }
    }
}
