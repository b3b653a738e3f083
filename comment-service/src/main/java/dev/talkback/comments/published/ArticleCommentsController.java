package dev.talkback.comments.published;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.talkback.comments.ApiProblem;
import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentsProperties;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/articles/{articleId}/comments}: published comments, threaded, oldest first. Pages run over top-level
 * comments; each carries all its published replies, nested. A reply whose parent is not published is not shown.
 */
@RestController
class ArticleCommentsController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final PublishedComments readModel;
    private final ArticlePageCache pages;
    private final CommentRenderer renderer;
    private final int maxReplies;
    private final Duration readTimeout;

    ArticleCommentsController(PublishedComments readModel, ArticlePageCache pages, CommentRenderer renderer,
            CommentsProperties properties) {
        this.readModel = readModel;
        this.pages = pages;
        this.renderer = renderer;
        this.maxReplies = properties.maxRepliesPerArticle();
        this.readTimeout = properties.readTimeout();
    }

    @GetMapping("/api/articles/{articleId}/comments")
    Mono<CommentPage> comments(@PathVariable String articleId, @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String cursor) {
        ArticleIds.requireValid(articleId);
        int pageSize = parseLimit(limit);
        PageCursor after = cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor);

        return pages.get(new ArticlePageCache.Key(articleId, pageSize, cursor), () -> {
            Mono<List<CommentDocument>> roots = readModel.topLevel(articleId, after, pageSize + 1).collectList();
            Mono<List<CommentDocument>> replies = readModel.replies(articleId, maxReplies).collectList();
            Mono<List<String>> rootIds = readModel.topLevelIds(articleId).collectList();
            // a store that does not answer must not hang the page: every reader of it waits for this one build
            return Mono.zip(roots, replies, rootIds).map(t -> page(t.getT1(), t.getT2(), t.getT3(), pageSize))
                    .timeout(readTimeout, Mono.error(() -> new QueryTimeoutException(
                            "The read model did not answer within " + readTimeout.toMillis() + " ms")));
        });
    }

    private CommentPage page(List<CommentDocument> roots, List<CommentDocument> replies, List<String> rootIds, int pageSize) {
        Map<String, List<CommentDocument>> children = new LinkedHashMap<>();
        for (CommentDocument reply : replies) {
            children.computeIfAbsent(reply.parentId(), k -> new ArrayList<>()).add(reply);
        }
        boolean more = roots.size() > pageSize;
        List<CommentDocument> shown = more ? roots.subList(0, pageSize) : roots;
        List<CommentView> views = new ArrayList<>(shown.size());
        Set<String> visited = new HashSet<>();
        for (CommentDocument root : shown) {
            views.add(view(root, children, visited));
        }
        String next = null;
        if (more) {
            CommentDocument last = shown.get(shown.size() - 1);
            next = new PageCursor(last.publishedAt(), last.id()).encode();
        }
        return new CommentPage(views, next, visibleCount(rootIds, children));
    }

    private CommentView view(CommentDocument doc, Map<String, List<CommentDocument>> children, Set<String> visited) {
        visited.add(doc.id());
        List<CommentView> replies = new ArrayList<>();
        for (CommentDocument child : children.getOrDefault(doc.id(), List.of())) {
            if (!visited.contains(child.id())) {
                replies.add(view(child, children, visited));
            }
        }
        return new CommentView(doc.id(), doc.parentId(), doc.authorName(), doc.website(), doc.text(),
                renderer.render(doc.text()), doc.publishedAt(), replies);
    }

    private static long visibleCount(List<String> rootIds, Map<String, List<CommentDocument>> children) {
        Set<String> seen = new HashSet<>(rootIds);
        Deque<String> todo = new ArrayDeque<>(rootIds);
        while (!todo.isEmpty()) {
            for (CommentDocument child : children.getOrDefault(todo.pop(), List.of())) {
                if (seen.add(child.id())) {
                    todo.push(child.id());
                }
            }
        }
        return seen.size();
    }

    private static int parseLimit(@Nullable String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int value;
        try {
            value = Integer.parseInt(limit);
        }
        catch (NumberFormatException ex) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The limit is not a number.",
                    List.of(new ApiProblem.FieldProblem("limit", "must be a whole number from 1 to " + MAX_LIMIT)));
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "The limit is out of range.",
                    List.of(new ApiProblem.FieldProblem("limit", "must be from 1 to " + MAX_LIMIT)));
        }
        return value;
    }
}
