package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentsProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.dao.QueryTimeoutException;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The controller alone, on a read model that stops answering (as a store behind a broken connection does): the page
 * fails within {@code comments.read-timeout} instead of hanging, and the failure is not cached for the next reader.
 */
class ArticlePageReadTimeoutTests {

    @Test
    void aReadModelThatDoesNotAnswerFailsThePageInTimeAndTheNextReaderGetsAFreshBuild() {
        AtomicBoolean silent = new AtomicBoolean(true);
        PublishedComments readModel = new PublishedComments(null) {
            @Override
            Flux<CommentDocument> topLevel(String articleId, @Nullable PageCursor after, int limit) {
                return silent.get() ? Flux.never() : Flux.empty();
            }

            @Override
            Flux<String> topLevelIds(String articleId) {
                return Flux.empty();
            }

            @Override
            Flux<CommentDocument> replies(String articleId, int max) {
                return Flux.empty();
            }
        };
        CommentsProperties properties = new Binder(new MapConfigurationPropertySource(
                        Map.of("comments.read-timeout", "300ms", "comments.page-cache-ttl", "1h")))
                .bindOrCreate("comments", CommentsProperties.class);
        var controller = new ArticleCommentsController(
                readModel,
                new ArticlePageCache(properties),
                new PageCursors("a-secret-of-16-chars-or-more"),
                new CommentRenderer(),
                properties);

        StepVerifier.create(controller.comments("quiet-article", null, null))
                .expectErrorSatisfies(e ->
                        assertThat(e).isInstanceOf(QueryTimeoutException.class).hasMessageContaining("300 ms"))
                .verify(Duration.ofSeconds(10));

        // the cache drops a failed build as it completes (right after this reader heard of it), not after an hour
        silent.set(false);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> StepVerifier.create(controller.comments("quiet-article", null, null))
                        .assertNext(page -> assertThat(page.comments()).isEmpty())
                        .expectComplete()
                        .verify(Duration.ofSeconds(1)));
    }
}
