package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.CommentIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The controller alone, on a chain of 2,000 replies each answering the one before, with every reply carried on the
 * page: nested as stored, the page would be some 4,000 JSON levels deep, past the serializer's limit (500 levels), and the
 * article's page a 500 for everyone. Capped, it is five levels of replies.
 */
class ArticleThreadDepthTests {

    @Test
    void aChainOfRepliesIsNestedNoDeeperThanTheCapAndSerializes() {
        CommentIds ids = new CommentIds();
        Instant at = Instant.parse("2026-11-28T10:00:00Z");
        CommentDocument root = doc(ids.next(), null, at);
        List<CommentDocument> chain = new ArrayList<>();
        String parent = root.id();
        for (int i = 1; i <= 2_000; i++) {
            CommentDocument reply = doc(ids.next(), parent, at.plusMillis(i));
            chain.add(reply);
            parent = reply.id();
        }
        PublishedComments readModel = new PublishedComments(null) {
            @Override
            Flux<CommentDocument> topLevel(String articleId, @Nullable PageCursor after, int limit) {
                return Flux.just(root);
            }

            @Override
            Flux<String> topLevelIds(String articleId) {
                return Flux.just(root.id());
            }

            @Override
            Flux<CommentDocument> replies(String articleId, int max) {
                return Flux.fromIterable(chain);
            }
        };
        var properties = ArticlePageCacheTests.properties(Map.of(
                "comments.page.replies-per-thread",
                "2000",
                "comments.page.max-replies",
                "2000",
                "comments.page-cache-ttl",
                "0s"));
        var controller = new ArticleCommentsController(
                readModel,
                new ArticlePageCache(properties),
                new PageCursors("a-secret-of-16-chars-or-more"),
                new CommentRenderer(),
                properties);

        CommentPage page = controller.comments("long-thread", null, null).block(Duration.ofSeconds(30));

        JsonMapper json = JsonMapper.builder().build();
        JsonNode thread =
                json.readTree(json.writeValueAsString(page)).get("comments").get(0);
        assertThat(depth(thread)).isEqualTo(5);
        assertThat(thread.get("moreReplies").longValue()).isZero();
        assertThat(page.total()).isEqualTo(2_001);
        // levels 1 to 4 as written; from the fifth on, every reply is listed under the fourth, oldest first
        CommentView fourth = page.comments()
                .get(0)
                .replies()
                .get(0)
                .replies()
                .get(0)
                .replies()
                .get(0)
                .replies()
                .get(0);
        assertThat(fourth.id()).isEqualTo(chain.get(3).id());
        assertThat(fourth.replies())
                .extracting(CommentView::id)
                .containsExactlyElementsOf(chain.subList(4, 2_000).stream()
                        .map(CommentDocument::id)
                        .toList());
        assertThat(fourth.replies()).allSatisfy(r -> assertThat(r.replies()).isEmpty());
        assertThat(fourth.replies().get(1).parentId()).isEqualTo(chain.get(4).id());
    }

    private static int depth(JsonNode comment) {
        int deepest = 0;
        for (JsonNode reply : comment.get("replies")) {
            deepest = Math.max(deepest, 1 + depth(reply));
        }
        return deepest;
    }

    private static CommentDocument doc(String id, @Nullable String parentId, Instant publishedAt) {
        return new CommentDocument(
                id,
                "long-thread",
                parentId,
                "Author",
                null,
                "Text of " + id,
                publishedAt,
                CommentStatus.PUBLISHED,
                null,
                1,
                publishedAt,
                publishedAt,
                null,
                null,
                null);
    }
}
