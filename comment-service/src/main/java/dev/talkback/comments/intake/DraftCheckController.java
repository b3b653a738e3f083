package dev.talkback.comments.intake;

import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ApiProblem;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/articles/{articleId}/comments/check}, the "think again" nudge: {@code {"text": "…"}} in, the abuse
 * categories of the draft at or above the hold threshold out. The body is bounded and checked like the intake's
 * (size, content type, JSON, the text's rule). Nothing is stored or published. {@code 404} when
 * {@code comments.nudge.enabled} is off: the widget then stops asking.
 */
@RestController
class DraftCheckController {

    private final long maxBodyBytes;
    private final CommentFormReader reader;
    private final AbuseNudge nudge;

    DraftCheckController(CommentsProperties properties, JsonMapper jsonMapper, AbuseNudge nudge) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.reader = new CommentFormReader(jsonMapper);
        this.nudge = nudge;
    }

    @PostMapping("/api/articles/{articleId}/comments/check")
    Mono<Checked> check(@PathVariable String articleId, ServerWebExchange exchange) {
        if (!nudge.enabled()) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "This site does not check drafts.");
        }
        ArticleIds.requireValid(articleId);
        return JsonRequestBody.read(exchange.getRequest(), maxBodyBytes)
                .map(body -> CommentRules.checkDraftText(reader.readText(body)))
                .flatMap(nudge::flags)
                .map(flags -> new Checked(flags, nudge.holdFrom()));
    }

    /**
     * The answer: the categories found (empty when none) and the threshold they were compared with.
     */
    record Checked(List<AbuseNudge.Flag> categories, double holdFrom) {}
}
