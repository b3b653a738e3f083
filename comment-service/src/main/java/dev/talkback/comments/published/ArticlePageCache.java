package dev.talkback.comments.published;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.talkback.comments.CommentsProperties;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 *
 * <p>An eviction costs the pages of that article, not a scan of every held page: an index of the held keys by
 * article is kept in step with the cache. A key enters it when its page starts to be built and leaves it when its
 * page leaves the cache, each within the cache's atomic operation on that key, so no held page is missing from it.
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
    /** The keys of the held pages (and of pages being built), by article. */
    private final ConcurrentMap<String, Set<Key>> keysByArticle = new ConcurrentHashMap<>();

    ArticlePageCache(CommentsProperties properties) {
        Duration ttl = properties.pageCacheTtl();
        this.pages = ttl.isZero()
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(ttl)
                        .maximumWeight(properties.page().cacheMaxSize().toBytes())
                        .weigher((Key key, CommentPage page) -> weigh(page))
                        // called within the removal of an expired or least used page (unlike a removal listener)
                        .evictionListener((Key key, CommentPage page, RemovalCause cause) -> unindex(key))
                        .buildAsync();
    }

    /** The cached page, or the one {@code build} makes (and caches, if it succeeds). */
    Mono<CommentPage> get(Key key, Supplier<Mono<CommentPage>> build) {
        AsyncCache<Key, CommentPage> cache = pages;
        if (cache == null) {
            return build.get();
        }
        return Mono.defer(() -> {
            CompletableFuture<CommentPage> page = cache.get(key, (any, executor) -> {
                index(key);
                return build.get().toFuture();
            });
            // the cache drops a failed build without telling a listener: its key leaves the index here
            return Mono.fromFuture(page).doOnError(ex -> {
                cache.asMap().remove(key, page);
                cache.asMap().computeIfAbsent(key, absent -> {
                    unindex(absent);
                    return null;
                });
            });
        });
    }

    /** Forgets every cached page of the article, and the pages being built for it. */
    void evict(String articleId) {
        AsyncCache<Key, CommentPage> cache = pages;
        Set<Key> keys = keysByArticle.get(articleId);
        if (cache == null || keys == null) {
            return;
        }
        for (Key key : keys) {
            cache.asMap().compute(key, (same, page) -> {
                unindex(same);
                return null;
            });
        }
    }

    private void index(Key key) {
        keysByArticle.compute(key.articleId(), (article, keys) -> {
            Set<Key> held = keys != null ? keys : ConcurrentHashMap.newKeySet();
            held.add(key);
            return held;
        });
    }

    private void unindex(Key key) {
        keysByArticle.computeIfPresent(key.articleId(), (article, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }

    /** Keys in the index of held pages, once pending evictions are done (for tests). */
    long indexedKeys() {
        if (pages != null) {
            pages.synchronous().cleanUp();
        }
        return keysByArticle.values().stream().mapToLong(Set::size).sum();
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
