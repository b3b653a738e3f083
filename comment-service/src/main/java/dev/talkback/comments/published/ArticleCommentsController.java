package dev.talkback.comments.published;

import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ApiProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/articles/{articleId}/comments}: published comments, threaded, oldest first. Pages run over top-level
 * comments; each carries the oldest of its thread's published replies, nested, and the cursor of the rest, which
 * {@code GET /api/articles/{articleId}/comments/{commentId}/replies} serves in batches (a flat list, oldest first:
 * "show more replies"). A reply whose parent is not published is not shown.
 *
 * <p>Every answer is bounded: at most 100 top-level comments and {@code comments.page.max-replies} replies, nested at
 * most {@code comments.page.max-reply-depth} deep, and only cursors this service signed are accepted, so that readers
 * cannot make it build, cache and send arbitrarily many or arbitrarily large pages.
 */
@RestController
class ArticleCommentsController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final PublishedComments readModel;
    private final ArticlePageCache pages;
    private final PageCursors cursors;
    private final CommentRenderer renderer;
    private final int maxReplies;
    private final Duration readTimeout;
    private final CommentsProperties.Page limits;

    ArticleCommentsController(
            PublishedComments readModel,
            ArticlePageCache pages,
            PageCursors cursors,
            CommentRenderer renderer,
            CommentsProperties properties) {
        this.readModel = readModel;
        this.pages = pages;
        this.cursors = cursors;
        this.renderer = renderer;
        this.maxReplies = properties.maxRepliesPerArticle();
        this.readTimeout = properties.readTimeout();
        this.limits = properties.page();
    }

    @GetMapping("/api/articles/{articleId}/comments")
    Mono<CommentPage> comments(
            @PathVariable String articleId,
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String cursor) {
        ArticleIds.requireValid(articleId);
        int pageSize = parseLimit(limit);
        PageCursor after =
                cursor == null || cursor.isEmpty() ? null : cursors.decode(cursor, PageCursors.pages(articleId));

        return pages.get(new ArticlePageCache.Key(articleId, pageSize, after, null), () -> {
            Mono<List<CommentDocument>> roots =
                    readModel.topLevel(articleId, after, pageSize + 1).collectList();
            Mono<List<CommentDocument>> replies =
                    readModel.replies(articleId, maxReplies).collectList();
            Mono<List<String>> rootIds = readModel.topLevelIds(articleId).collectList();
            return inTime(Mono.zip(roots, replies, rootIds)
                    .map(t -> page(articleId, t.getT1(), t.getT2(), t.getT3(), pageSize)));
        });
    }

    @GetMapping("/api/articles/{articleId}/comments/{commentId}/replies")
    Mono<CommentPage> replies(
            @PathVariable String articleId,
            @PathVariable String commentId,
            @RequestParam(required = false) @Nullable String cursor) {
        ArticleIds.requireValid(articleId);
        if (!CommentIds.isWellFormed(commentId)) {
            throw noSuchThread();
        }
        PageCursor after = cursor == null || cursor.isEmpty()
                ? PageCursor.START
                : cursors.decode(cursor, PageCursors.replies(articleId, commentId));

        return pages.get(new ArticlePageCache.Key(articleId, 0, after, commentId), () -> {
            Mono<CommentDocument> root = readModel
                    .findById(commentId)
                    .filter(doc -> doc.articleId().equals(articleId)
                            && doc.parentId() == null
                            && doc.status() == CommentStatus.PUBLISHED)
                    .switchIfEmpty(Mono.error(ArticleCommentsController::noSuchThread));
            Mono<List<CommentDocument>> replies =
                    readModel.replies(articleId, maxReplies).collectList();
            return inTime(Mono.zip(root, replies).map(t -> moreReplies(articleId, t.getT1(), t.getT2(), after)));
        });
    }

    /** A store that does not answer must not hang the page: every reader of it waits for this one build. */
    private <T> Mono<T> inTime(Mono<T> build) {
        return build.timeout(
                readTimeout,
                Mono.error(() -> new QueryTimeoutException(
                        "The read model did not answer within " + readTimeout.toMillis() + " ms")));
    }

    private CommentPage page(
            String articleId,
            List<CommentDocument> roots,
            List<CommentDocument> replies,
            List<String> rootIds,
            int pageSize) {
        Threads threads = new Threads(replies, limits.maxReplyDepth());
        boolean more = roots.size() > pageSize;
        List<CommentDocument> shown = more ? roots.subList(0, pageSize) : roots;
        List<CommentView> views = new ArrayList<>(shown.size());
        int budget = limits.maxReplies();
        for (CommentDocument root : shown) {
            List<Threads.Reply> thread = threads.of(root.id());
            int carried = Math.min(thread.size(), Math.min(limits.repliesPerThread(), budget));
            budget -= carried;
            String repliesNext = carried == thread.size()
                    ? null
                    : cursors.encode(
                            carried == 0
                                    ? PageCursor.START
                                    : PageCursor.of(thread.get(carried - 1).doc()),
                            PageCursors.replies(articleId, root.id()));
            views.add(threadView(root, thread, carried, repliesNext));
        }
        String next = null;
        if (more) {
            next = cursors.encode(PageCursor.of(shown.get(shown.size() - 1)), PageCursors.pages(articleId));
        }
        return new CommentPage(views, next, threads.visibleCount(rootIds));
    }

    /** The top-level comment with the oldest {@code carried} replies of its thread, nested under where each is shown. */
    private CommentView threadView(
            CommentDocument root, List<Threads.Reply> thread, int carried, @Nullable String repliesNext) {
        Map<String, Threads.Reply> byId = new HashMap<>();
        for (Threads.Reply reply : thread) {
            byId.put(reply.doc().id(), reply);
        }
        List<Threads.Reply> included = thread.subList(0, carried);
        Set<String> includedIds = new HashSet<>();
        includedIds.add(root.id());
        included.forEach(reply -> includedIds.add(reply.doc().id()));
        Map<String, List<CommentDocument>> under = new HashMap<>();
        for (Threads.Reply reply : included) {
            // rare: a reply published before the comment it answers (moderators' clocks), which falls after the cut:
            // shown under its nearest ancestor that is carried (the top-level comment at worst)
            String parent = reply.shownUnder();
            while (!includedIds.contains(parent)) {
                parent = byId.get(parent).shownUnder();
            }
            under.computeIfAbsent(parent, k -> new ArrayList<>()).add(reply.doc());
        }
        CommentView view = view(root, under);
        return new CommentView(
                view.id(),
                view.parentId(),
                view.name(),
                view.website(),
                view.text(),
                view.html(),
                view.publishedAt(),
                view.replies(),
                thread.size() - carried,
                repliesNext);
    }

    /** Recursive, but no deeper than {@code comments.page.max-reply-depth}: that is how {@code under} was built. */
    private CommentView view(CommentDocument doc, Map<String, List<CommentDocument>> under) {
        List<CommentView> replies = new ArrayList<>();
        for (CommentDocument child : under.getOrDefault(doc.id(), List.of())) {
            replies.add(view(child, under));
        }
        return new CommentView(
                doc.id(),
                doc.parentId(),
                doc.authorName(),
                doc.website(),
                doc.text(),
                renderer.render(doc.text()),
                doc.publishedAt(),
                replies);
    }

    /** The next batch of a thread's replies after the cursor, flat, oldest first; {@code total} counts the thread's. */
    private CommentPage moreReplies(
            String articleId, CommentDocument root, List<CommentDocument> replies, PageCursor after) {
        List<Threads.Reply> thread = new Threads(replies, limits.maxReplyDepth()).of(root.id());
        int from = 0;
        while (from < thread.size() && !after.isBefore(thread.get(from).doc())) {
            from++;
        }
        int to = Math.min(thread.size(), from + limits.maxReplies());
        List<CommentView> views = new ArrayList<>(to - from);
        for (Threads.Reply reply : thread.subList(from, to)) {
            views.add(view(reply.doc(), Map.of()));
        }
        String next = to == thread.size()
                ? null
                : cursors.encode(PageCursor.of(thread.get(to - 1).doc()), PageCursors.replies(articleId, root.id()));
        return new CommentPage(views, next, thread.size());
    }

    private static ApiProblem noSuchThread() {
        return new ApiProblem(HttpStatus.NOT_FOUND, "There is no such published top-level comment on this article.");
    }

    private static int parseLimit(@Nullable String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int value;
        try {
            value = Integer.parseInt(limit);
        } catch (NumberFormatException ex) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "The limit is not a number.",
                    List.of(new ApiProblem.FieldProblem("limit", "must be a whole number from 1 to " + MAX_LIMIT)));
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "The limit is out of range.",
                    List.of(new ApiProblem.FieldProblem("limit", "must be from 1 to " + MAX_LIMIT)));
        }
        return value;
    }
}
