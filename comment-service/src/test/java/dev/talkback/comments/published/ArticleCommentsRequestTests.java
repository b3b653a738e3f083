package dev.talkback.comments.published;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.EmbeddedBackendTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Bad query parameters and tokens of the read side are answered with problem details. */
@EmbeddedBackendTest
class ArticleCommentsRequestTests {

    @Autowired
    WebTestClient client;

    @Test
    void limitThatIsNotANumberIsABadRequest() {
        get("/api/articles/some-article/comments?limit=ten")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("limit");
    }

    @Test
    void limitOutOfRangeIsUnprocessable() {
        for (String limit : new String[] {"0", "-1", "101"}) {
            get("/api/articles/some-article/comments?limit=" + limit)
                    .expectStatus()
                    .isEqualTo(422)
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors[0].field")
                    .isEqualTo("limit");
        }
    }

    @Test
    void foreignCursorIsABadRequest() {
        for (String cursor : new String[] {"garbage!", "MTIzOmFiYw", "LTE6MDFKRFE3WjVLOE0zTjRQNVE2UjdTOFQ5VjA"}) {
            get("/api/articles/some-article/comments?cursor=" + cursor)
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors[0].field")
                    .isEqualTo("cursor");
        }
    }

    @Test
    void badArticleIdIsABadRequest() {
        get("/api/articles/-dash-first/comments")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("articleId");
    }

    @Test
    void articleWithoutCommentsIsAnEmptyPage() {
        get("/api/articles/quiet-article/comments")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.comments")
                .isEmpty()
                .jsonPath("$.next")
                .doesNotExist()
                .jsonPath("$.total")
                .isEqualTo(0);
    }

    @Test
    void statusWithAWrongOrMissingTokenIsNotFound() {
        String id = new CommentIds().next();
        for (String uri : new String[] {
            "/api/comments/" + id + "/status?token=nope",
            "/api/comments/" + id + "/status",
            "/api/comments/not-an-id/status?token=x"
        }) {
            get(uri).expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return client.get().uri(uri).exchange();
    }
}
