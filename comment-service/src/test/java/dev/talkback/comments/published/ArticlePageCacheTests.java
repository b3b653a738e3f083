package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The page cache is bounded by the memory its pages take, not by their number, and an eviction drops exactly the
 * pages of its article.
 */
class ArticlePageCacheTests {

    private static final int MAX_BYTES = 1024 * 1024;

    @Test
    void largePagesAreDroppedBeyondTheConfiguredSize() {
        ArticlePageCache cache = new ArticlePageCache(
                properties(Map.of("comments.page-cache-ttl", "1h", "comments.page.cache-max-size", "1MB")));
        CommentPage large = page(100, 500); // 100 comments of 500 characters (and their html): ~ 250 KB
        assertThat(ArticlePageCache.weigh(large)).isBetween(200_000, 300_000);

        for (int i = 0; i < 40; i++) {
            cache.get(new ArticlePageCache.Key("article-" + i, 20, null, null), () -> Mono.just(large))
                    .block();
        }

        // a count bound (10,000 pages) kept all 40, some 10 MB
        assertThat(cache.weight()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(cache.size()).isLessThanOrEqualTo(MAX_BYTES / ArticlePageCache.weigh(large));
    }

    @Test
    void smallPagesStayAndAreServedAgain() {
        ArticlePageCache cache = new ArticlePageCache(properties(Map.of("comments.page-cache-ttl", "1h")));
        CommentPage small = page(2, 20);
        for (int i = 0; i < 1_000; i++) {
            cache.get(new ArticlePageCache.Key("article-" + i, 20, null, null), () -> Mono.just(small))
                    .block();
        }
        assertThat(cache.size()).isEqualTo(1_000);
        CommentPage again = cache.get(
                        new ArticlePageCache.Key("article-7", 20, null, null),
                        () -> Mono.error(new AssertionError("built again")))
                .block();
        assertThat(again).isSameAs(small);
        cache.evict("article-7");
        assertThat(cache.size()).isEqualTo(999);
    }

    @Test
    void evictingAnArticleDropsExactlyItsPagesAndKeepsEveryOtherArticles() {
        ArticlePageCache cache = new ArticlePageCache(properties(Map.of("comments.page-cache-ttl", "1h")));
        CommentPage small = page(2, 20);
        List<ArticlePageCache.Key> evicted = keysOf("article-a");
        List<ArticlePageCache.Key> kept = new ArrayList<>(keysOf("article-b"));
        kept.addAll(keysOf("article-ab")); // an id that starts like the evicted one
        evicted.forEach(key -> cache.get(key, () -> Mono.just(small)).block());
        kept.forEach(key -> cache.get(key, () -> Mono.just(small)).block());

        cache.evict("article-a");
        cache.evict("article-unknown");

        assertThat(cache.size()).isEqualTo(kept.size());
        for (ArticlePageCache.Key key : kept) {
            assertThat(cache.get(key, () -> Mono.error(new AssertionError("built again")))
                            .block())
                    .isSameAs(small);
        }
        AtomicInteger builds = new AtomicInteger();
        for (ArticlePageCache.Key key : evicted) {
            cache.get(
                            key,
                            () -> Mono.fromCallable(() -> {
                                builds.incrementAndGet();
                                return small;
                            }))
                    .block();
        }
        assertThat(builds).hasValue(evicted.size());
    }

    @Test
    void evictingAnArticleDoesNotTouchAPageOfAnotherArticleBeingBuilt() {
        ArticlePageCache cache = new ArticlePageCache(properties(Map.of("comments.page-cache-ttl", "1h")));
        CommentPage small = page(2, 20);
        Sinks.One<CommentPage> building = Sinks.one();
        AtomicInteger builds = new AtomicInteger();
        ArticlePageCache.Key other = new ArticlePageCache.Key("article-b", 20, null, null);
        Mono<CommentPage> first = cache.get(other, () -> {
                    builds.incrementAndGet();
                    return building.asMono();
                })
                .cache();
        first.subscribe();

        cache.evict("article-a");
        // a second reader of the page being built waits for that build (an eviction of its article would start one)
        Mono<CommentPage> second = cache.get(other, () -> {
            builds.incrementAndGet();
            return Mono.just(page(1, 1));
        });
        building.tryEmitValue(small);

        assertThat(second.block()).isSameAs(small);
        assertThat(first.block()).isSameAs(small);
        assertThat(builds).hasValue(1);
    }

    @Test
    void theIndexOfPagesByArticleHoldsExactlyTheHeldPages() {
        ArticlePageCache cache = new ArticlePageCache(
                properties(Map.of("comments.page-cache-ttl", "1h", "comments.page.cache-max-size", "1MB")));
        CommentPage large = page(100, 500); // ~ 250 KB: a few fit
        for (int i = 0; i < 20; i++) {
            cache.get(new ArticlePageCache.Key("article-" + i, 20, null, null), () -> Mono.just(large))
                    .block();
        }
        // least used pages dropped for their weight leave the index too
        assertThat(cache.size()).isLessThan(20);
        assertThat(cache.indexedKeys()).isEqualTo(cache.size());

        // a failed build caches nothing and leaves no key behind
        ArticlePageCache.Key failing = new ArticlePageCache.Key("article-failing", 20, null, null);
        assertThat(cache.get(failing, () -> Mono.error(new IllegalStateException("store down")))
                        .onErrorComplete()
                        .block())
                .isNull();
        assertThat(cache.indexedKeys()).isEqualTo(cache.size());
    }

    @Test
    void expiredPagesLeaveTheIndex() {
        ArticlePageCache cache = new ArticlePageCache(properties(Map.of("comments.page-cache-ttl", "50ms")));
        keysOf("article-a")
                .forEach(key -> cache.get(key, () -> Mono.just(page(1, 10))).block());

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(cache.indexedKeys()).isZero());
        assertThat(cache.size()).isZero();
    }

    /**
     * Readers, evictions and failing builds of the same pages at once, on many threads: however they interleave, an
     * eviction afterwards leaves none of the article's pages held (no held page is missing from the index), and the
     * index holds nothing more.
     */
    @Test
    void noInterleavingOfReadsAndEvictionsHidesAPageFromTheIndex() throws Exception {
        ArticlePageCache cache = new ArticlePageCache(properties(Map.of("comments.page-cache-ttl", "1h")));
        CommentPage small = page(1, 10);
        List<String> articles = List.of("article-a", "article-b", "article-c");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 10_000; i++) {
                        String article = articles.get(random.nextInt(articles.size()));
                        ArticlePageCache.Key key = new ArticlePageCache.Key(article, random.nextInt(1, 8), null, null);
                        // a reader that joins a failing build fails with it
                        switch (random.nextInt(4)) {
                            case 0 -> cache.evict(article);
                            case 1 ->
                                cache.get(key, () -> Mono.<CommentPage>error(new IllegalStateException("failed")))
                                        .onErrorComplete()
                                        .block();
                            case 2 ->
                                cache.get(key, () -> Mono.just(small).publishOn(Schedulers.parallel()))
                                        .onErrorComplete()
                                        .block();
                            default ->
                                cache.get(key, () -> Mono.just(small))
                                        .onErrorComplete()
                                        .block();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(cache.indexedKeys()).isEqualTo(cache.size());

        articles.forEach(cache::evict);

        assertThat(cache.size()).isZero();
        assertThat(cache.indexedKeys()).isZero();
    }

    /** An article's first page, a page after a cursor, and a batch of a thread's replies. */
    private static List<ArticlePageCache.Key> keysOf(String article) {
        PageCursor after = new PageCursor(Instant.parse("2026-11-28T10:00:00Z"), "c-1");
        return List.of(
                new ArticlePageCache.Key(article, 20, null, null),
                new ArticlePageCache.Key(article, 50, null, null),
                new ArticlePageCache.Key(article, 20, after, null),
                new ArticlePageCache.Key(article, 0, null, "c-1"),
                new ArticlePageCache.Key(article, 0, after, "c-1"));
    }

    @Test
    void theWeightCountsNestedRepliesAndStrings() {
        CommentView reply = view("r".repeat(1_000), List.of());
        CommentView root = view("t", List.of(reply, reply));
        int oneReply = ArticlePageCache.weigh(new CommentPage(List.of(view("t", List.of(reply))), null, 2));
        int twoReplies = ArticlePageCache.weigh(new CommentPage(List.of(root), null, 3));
        assertThat(twoReplies - oneReply).isGreaterThan(2 * 2_000); // text and html, two bytes a character
    }

    private static CommentPage page(int comments, int chars) {
        List<CommentView> views = new ArrayList<>();
        for (int i = 0; i < comments; i++) {
            views.add(view("x".repeat(chars), List.of()));
        }
        return new CommentPage(views, null, comments);
    }

    private static CommentView view(String text, List<CommentView> replies) {
        return new CommentView(
                new CommentIds().next(), null, "Ada", null, text, "<p>" + text + "</p>", Instant.now(), replies);
    }

    static CommentsProperties properties(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("comments", CommentsProperties.class);
    }
}
