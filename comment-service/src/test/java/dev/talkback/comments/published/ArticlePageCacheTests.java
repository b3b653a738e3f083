package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import reactor.core.publisher.Mono;

/** The page cache is bounded by the memory its pages take, not by their number. */
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
