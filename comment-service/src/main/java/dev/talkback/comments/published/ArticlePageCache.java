package dev.talkback.comments.published;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.talkback.comments.CommentsProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Computed pages of articles' comments, shared by the readers of this instance. A popular article is read far more
 * often than it changes, and a page is costly to build (the article's published comments, its replies and the total:
 * thousands of documents for a long thread, where Coral Talk's users report CPU spikes). The instance that applies a
 * decision to the read model evicts the article's pages right after ({@link ModeratedCommentsListener}), and
 * {@link LiveComments} does on every instance (each hears every decision) once it reads the change back; the time to
 * live only bounds the staleness of an eviction missed in a race. Concurrent readers of a page being built wait for
 * that one build.
 *
 * <p>Bounded by weight, not by count: a page of a quiet article is a few hundred bytes, one of a long thread can be
 * megabytes (200 replies of up to 10,000 characters, each with its rendering), so a count bound is no memory bound.
 * Each page weighs an estimate of its heap size ({@link #weigh}); beyond {@code comments.page.cache-max-size} the least
 * used pages go. Keys are decoded positions, never the cursor strings clients send, so that different spellings of one
 * cursor share one page.
 */
@Component
class ArticlePageCache {

    /**
     * @param limit  top-level comments per page (0 for a batch of a thread's replies)
     * @param after  the decoded cursor, {@code null} for an article's first page
     * @param thread for a batch of replies, its top-level comment
     */
    record Key(
            String articleId,
            int limit,
            @Nullable PageCursor after,
            @Nullable String thread) {}

    /** Estimated bytes of a page that carries nothing (the page, its list, the key). */
    private static final int PAGE_OVERHEAD = 200;
    /** Estimated bytes of a comment besides its strings (the view, its strings' headers, its replies list, an instant). */
    private static final int COMMENT_OVERHEAD = 250;

    private final @Nullable AsyncCache<Key, CommentPage> pages;

    ArticlePageCache(CommentsProperties properties) {
        Duration ttl = properties.pageCacheTtl();
        this.pages = ttl.isZero()
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(ttl)
                        .maximumWeight(properties.page().cacheMaxSize().toBytes())
                        .weigher((Key key, CommentPage page) -> weigh(page))
                        .buildAsync();
    }

    /** The cached page, or the one {@code build} makes (and caches, if it succeeds). */
    Mono<CommentPage> get(Key key, Supplier<Mono<CommentPage>> build) {
        if (pages == null) {
            return build.get();
        }
        return Mono.fromFuture(
                () -> pages.get(key, (any, executor) -> build.get().toFuture()));
    }

    /** Forgets every cached page of the article. */
    void evict(String articleId) {
        if (pages != null) {
            pages.asMap().keySet().removeIf(key -> key.articleId().equals(articleId));
        }
    }

    /** Pages held now, once pending evictions are done (for tests). */
    long size() {
        if (pages == null) {
            return 0;
        }
        pages.synchronous().cleanUp();
        return pages.synchronous().estimatedSize();
    }

    /** Estimated bytes the held pages take, once pending evictions are done (for tests). */
    long weight() {
        if (pages == null) {
            return 0;
        }
        pages.synchronous().cleanUp();
        return pages.synchronous()
                .policy()
                .eviction()
                .orElseThrow()
                .weightedSize()
                .orElseThrow();
    }

    /** Estimated heap bytes of a page: two bytes a character (the worst case) plus fixed overheads. */
    static int weigh(CommentPage page) {
        long bytes = PAGE_OVERHEAD + chars(page.next());
        Deque<CommentView> todo = new ArrayDeque<>(page.comments());
        while (!todo.isEmpty()) {
            CommentView view = todo.pop();
            bytes += COMMENT_OVERHEAD
                    + 2L
                            * (chars(view.id())
                                    + chars(view.parentId())
                                    + chars(view.name())
                                    + chars(view.website())
                                    + chars(view.text())
                                    + chars(view.html())
                                    + chars(view.repliesNext()));
            todo.addAll(view.replies());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long chars(@Nullable String s) {
        return s == null ? 0 : s.length();
    }
}
