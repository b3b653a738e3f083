package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.EmbeddedBackendTest;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one read of an article's comments may cost, on the real service and store, with the default settings: only
 * signed cursors make pages, a page carries at most {@code comments.page.max-replies} replies (20 a thread), nested at
 * most {@code comments.page.max-reply-depth} (5) deep, and the rest of every thread is reachable by its cursor. The
 * read model is written directly ({@link PublishedComments#apply}), as its listener does: thousands of decisions
 * through Kafka would only make the test slow.
 */
@EmbeddedBackendTest
class ArticlePageBoundsTests {

    private static final int MAX_REPLIES = 200;
    private static final int REPLIES_PER_THREAD = 20;
    private static final int MAX_DEPTH = 5;

    @Autowired
    WebTestClient client;

    @Autowired
    PublishedComments readModel;

    @Autowired
    ArticlePageCache pages;

    @Autowired
    JsonMapper json;

    private final CommentIds ids = new CommentIds();
    private Instant clock = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void forgedAlteredAndForeignCursorsAreABadRequestAndBuildNoPage() {
        String article = article();
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            roots.add(publish(article, null));
        }
        JsonNode first = page(article, "?limit=1");
        String next = first.get("next").stringValue();
        assertThat(page(article, "?limit=1&cursor=" + next).get("comments"))
                .extracting(c -> c.get("id").stringValue())
                .containsExactly(roots.get(1));

        long cached = pages.size();
        List<String> forged = new ArrayList<>();
        for (String root : roots) {
            // what every position was before cursors were signed, base64url of millis:id, each a new page; also
            // with a made-up signature
            for (int millis = 0; millis < 20; millis++) {
                forged.add(b64((clock.toEpochMilli() - millis) + ":" + root));
                forged.add(b64((clock.toEpochMilli() - millis) + ":" + root) + "." + b64("sixteen bytes..."));
            }
        }
        forged.add(next.substring(0, next.indexOf('.')) + ".AAAAAAAAAAAAAAAAAAAAAA");
        forged.add((next.charAt(0) == 'M' ? "N" : "M") + next.substring(1));
        forged.add(next + "A");
        forged.add("%00%ff");
        forged.add("x".repeat(4_000));
        for (String cursor : forged) {
            client.get()
                    .uri("/api/articles/{a}/comments?limit=1&cursor={c}", article, cursor)
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.detail")
                    .value(String.class, d -> assertThat(d).contains("cursor is not valid"))
                    .jsonPath("$.errors[0].field")
                    .isEqualTo("cursor");
        }
        // another article's cursor, and a page cursor where a thread's is expected
        client.get()
                .uri("/api/articles/{a}/comments?limit=1&cursor={c}", article(), next)
                .exchange()
                .expectStatus()
                .isBadRequest();
        client.get()
                .uri("/api/articles/{a}/comments/{id}/replies?cursor={c}", article, roots.get(0), next)
                .exchange()
                .expectStatus()
                .isBadRequest();
        assertThat(pages.size())
                .as("pages cached after %d forged cursors", forged.size())
                .isEqualTo(cached);
    }

    @Test
    void aChainOfTwoThousandNestedRepliesIsAPageNestedAtMostFiveDeepWithTheRestByItsCursor() {
        String article = article();
        String root = publish(article, null);
        List<String> chain = new ArrayList<>();
        String parent = root;
        for (int i = 0; i < 2_000; i++) {
            parent = publish(article, parent);
            chain.add(parent);
        }

        JsonNode page = page(article, "");
        assertThat(page.get("total").intValue()).isEqualTo(2_001);
        JsonNode thread = page.get("comments").get(0);
        assertThat(depth(thread)).isLessThanOrEqualTo(MAX_DEPTH);
        List<JsonNode> carried = replies(thread);
        assertThat(carried).hasSize(REPLIES_PER_THREAD);
        // the oldest, and each with the parent its author answered, also those listed under an ancestor
        assertThat(carried)
                .extracting(r -> r.get("id").stringValue())
                .containsExactlyInAnyOrderElementsOf(chain.subList(0, 20));
        for (JsonNode reply : carried) {
            int at = chain.indexOf(reply.get("id").stringValue());
            assertThat(reply.get("parentId").stringValue()).isEqualTo(at == 0 ? root : chain.get(at - 1));
        }
        assertThat(thread.get("moreReplies").longValue()).isEqualTo(2_000 - REPLIES_PER_THREAD);

        List<String> seen = new ArrayList<>(
                carried.stream().map(r -> r.get("id").stringValue()).toList());
        seen.addAll(rest(article, root, thread.get("repliesNext").stringValue(), 2_000));
        assertThat(seen).containsExactlyElementsOf(chain);
    }

    @Test
    void aPageCarriesAtMostTwoHundredRepliesAndEveryOtherIsReachable() {
        String article = article();
        List<String> roots = new ArrayList<>();
        Set<String> replies = new HashSet<>();
        for (int t = 0; t < 12; t++) {
            String root = publish(article, null);
            roots.add(root);
            List<String> thread = new ArrayList<>();
            for (int r = 0; r < 25; r++) {
                // replies to the top-level comment and to one another: a bushy thread
                thread.add(publish(article, r % 3 == 0 ? root : thread.get(r / 2)));
            }
            replies.addAll(thread);
        }
        JsonNode page = page(article, "");
        assertThat(page.get("comments"))
                .extracting(c -> c.get("id").stringValue())
                .containsExactlyElementsOf(roots);
        int carried = 0;
        long more = 0;
        Set<String> seen = new HashSet<>();
        for (JsonNode thread : page.get("comments")) {
            List<JsonNode> shown = replies(thread);
            assertThat(shown.size()).isLessThanOrEqualTo(REPLIES_PER_THREAD);
            carried += shown.size();
            more += thread.get("moreReplies").longValue();
            shown.forEach(r -> seen.add(r.get("id").stringValue()));
            if (thread.get("moreReplies").longValue() > 0) {
                seen.addAll(rest(
                        article,
                        thread.get("id").stringValue(),
                        thread.get("repliesNext").stringValue(),
                        300));
            } else {
                assertThat(thread.get("repliesNext").isNull()).isTrue();
            }
        }
        assertThat(carried).isEqualTo(MAX_REPLIES);
        assertThat(carried + more).isEqualTo(300);
        assertThat(seen).isEqualTo(replies);
    }

    @Test
    void repliesOfAnUnknownOrHiddenThreadAreNotFound() {
        String article = article();
        String root = publish(article, null);
        String reply = publish(article, root);
        for (String uri : new String[] {
            "/api/articles/" + article + "/comments/" + ids.next() + "/replies",
            "/api/articles/" + article + "/comments/not-an-id/replies",
            "/api/articles/" + article + "/comments/" + reply + "/replies",
            "/api/articles/" + article() + "/comments/" + root + "/replies"
        }) {
            client.get()
                    .uri(uri)
                    .exchange()
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        client.get()
                .uri("/api/articles/{a}/comments/{id}/replies", article, root)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.comments[0].id")
                .isEqualTo(reply)
                .jsonPath("$.next")
                .doesNotExist()
                .jsonPath("$.total")
                .isEqualTo(1);
    }

    // --- helpers

    /** Follows a thread's cursors to its end: the ids in the order served, each batch within the bound. */
    private List<String> rest(String article, String thread, String cursor, int atMost) {
        List<String> ids = new ArrayList<>();
        @Nullable String next = cursor;
        for (int batches = 0; next != null; batches++) {
            assertThat(batches).isLessThan(atMost);
            JsonNode batch = json.readTree(client.get()
                    .uri("/api/articles/{a}/comments/{id}/replies?cursor={c}", article, thread, next)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody());
            assertThat(batch.get("comments").size()).isBetween(1, MAX_REPLIES);
            batch.get("comments").forEach(r -> {
                assertThat(r.get("replies")).isEmpty();
                ids.add(r.get("id").stringValue());
            });
            next = batch.get("next").isNull() ? null : batch.get("next").stringValue();
        }
        return ids;
    }

    private String publish(String article, @Nullable String parentId) {
        String id = ids.next();
        clock = clock.plusMillis(1);
        var event = new CommentModerated(
                UUID.randomUUID(),
                clock,
                id,
                article,
                1,
                Outcome.APPROVED,
                false,
                List.of(),
                null,
                new CommentModerated.PublicComment(parentId, "Author", null, "Text of " + id, clock.minusSeconds(1)),
                new CommentModerated.AuthorContact("someone@example.org", false));
        assertThat(readModel.apply(event).block(Duration.ofSeconds(10))).isTrue();
        return id;
    }

    private JsonNode page(String article, String query) {
        return json.readTree(client.get()
                .uri("/api/articles/" + article + "/comments" + query)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    /** Levels of replies nested under a comment. */
    private static int depth(JsonNode comment) {
        int deepest = 0;
        for (JsonNode reply : comment.get("replies")) {
            deepest = Math.max(deepest, 1 + depth(reply));
        }
        return deepest;
    }

    private static List<JsonNode> replies(JsonNode comment) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode reply : comment.get("replies")) {
            all.add(reply);
            all.addAll(replies(reply));
        }
        return all;
    }

    private static String article() {
        return "article-" + UUID.randomUUID();
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
