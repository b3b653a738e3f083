package dev.talkback.comments.published;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

import dev.talkback.comments.CommentsProperties;

/**
 * Computed pages of articles' comments, shared by the readers of this instance. A popular article is read far more
 * often than it changes, and a page is costly to build (the article's published comments, its replies and the total:
 * thousands of documents for a long thread, where Coral Talk's users report CPU spikes). The instance that applies a
 * decision to the read model evicts the article's pages right after ({@link ModeratedCommentsListener}), and
 * {@link LiveComments} does on every instance (each hears every decision) once it reads the change back; the time to
 * live only bounds the staleness of an eviction missed in a race. Concurrent readers of a page being built wait for
 * that one build.
 */
@Component
class ArticlePageCache {

    record Key(String articleId, int limit, @Nullable String cursor) {
    }

    private final @Nullable AsyncCache<Key, CommentPage> pages;

    ArticlePageCache(CommentsProperties properties) {
        Duration ttl = properties.pageCacheTtl();
        this.pages = ttl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).buildAsync();
    }

    /** The cached page, or the one {@code build} makes (and caches, if it succeeds). */
    Mono<CommentPage> get(Key key, Supplier<Mono<CommentPage>> build) {
        if (pages == null) {
            return build.get();
        }
        return Mono.fromFuture(() -> pages.get(key, (any, executor) -> build.get().toFuture()));
    }

    /** Forgets every cached page of the article. */
    void evict(String articleId) {
        if (pages != null) {
            pages.asMap().keySet().removeIf(key -> key.articleId().equals(articleId));
        }
    }
}
