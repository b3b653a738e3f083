package dev.talkback.comments.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.LimitedBackendTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rate limits on a real server (small ones: 3 posts per address, 2 per e-mail address, 4 per article, 4 draft
 * checks per address, 5 other API requests per address, each per hour). Each test posts from addresses of its own, named in
 * {@code X-Forwarded-For} (the test client is a trusted proxy).
 */
@LimitedBackendTest
class RateLimitTests {

    @Autowired
    WebTestClient client;

    @Test
    void anAddressBeyondItsPostsGets429BeforeItsBodyIsEvenRead() {
        String address = newAddress();
        for (int i = 0; i < 3; i++) {
            post(address, newArticle(), newEmail()).expectStatus().isAccepted();
        }
        // a body that would be a 400 shows that the limit is taken before the body is read
        client.post()
                .uri("/api/articles/{a}/comments", newArticle())
                .header("X-Forwarded-For", address)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json")
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .value(
                        HttpHeaders.RETRY_AFTER,
                        value -> assertThat(Long.parseLong(value)).isBetween(1L, 1200L))
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(429)
                .jsonPath("$.title")
                .isEqualTo("Too Many Requests")
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("You are posting too fast."));
        post(address, newArticle(), newEmail()).expectStatus().isEqualTo(429);
        // another reader is not affected
        post(newAddress(), newArticle(), newEmail()).expectStatus().isAccepted();
    }

    @Test
    void anEmailAddressBeyondItsPostsGets429WhateverTheClientAddressAndCase() {
        String email = newEmail();
        post(newAddress(), newArticle(), email).expectStatus().isAccepted();
        post(newAddress(), newArticle(), email.toUpperCase()).expectStatus().isAccepted();
        post(newAddress(), newArticle(), email)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("You are posting too fast."));
        post(newAddress(), newArticle(), newEmail()).expectStatus().isAccepted();
    }

    @Test
    void anArticleBeyondItsPostsGets429WhoeverPosts() {
        String article = newArticle();
        for (int i = 0; i < 4; i++) {
            post(newAddress(), article, newEmail()).expectStatus().isAccepted();
        }
        post(newAddress(), article, newEmail())
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("too many comments"));
        post(newAddress(), newArticle(), newEmail()).expectStatus().isAccepted();
    }

    @Test
    void anInvalidCommentTakesNoTokenOfItsAuthorOrArticle() {
        String article = newArticle();
        String email = newEmail();
        for (int i = 0; i < 3; i++) {
            client.post()
                    .uri("/api/articles/{a}/comments", article)
                    .header("X-Forwarded-For", newAddress())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "Ada", "email", email))
                    .exchange()
                    .expectStatus()
                    .isEqualTo(422);
        }
        post(newAddress(), article, email).expectStatus().isAccepted();
    }

    @Test
    void otherApiRequestsHaveTheirOwnLimitPerAddressAndA429CarriesTheCorsHeaders() {
        String address = newAddress();
        String article = newArticle();
        for (int i = 0; i < 5; i++) {
            read(address, article).expectStatus().isOk();
        }
        read(address, article)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:8080")
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // posting is counted apart: the reader who read a lot may still comment
        post(address, article, newEmail()).expectStatus().isAccepted();
        read(newAddress(), article).expectStatus().isOk();
        // the site's pages and the widget are not API requests
        client.get()
                .uri("/embed.js")
                .header("X-Forwarded-For", address)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void draftChecksHaveTheirOwnLimitPerAddressAndDoNotUseUpThePosts() {
        String article = newArticle();
        // the model trains at start-up: until then a check is a 503 (which takes a token too, hence fresh addresses)
        await().atMost(Duration.ofSeconds(60))
                .until(() -> check(newAddress(), article)
                                .returnResult(String.class)
                                .getStatus()
                                .value()
                        == 200);
        String address = newAddress();
        for (int i = 0; i < 4; i++) {
            check(address, article).expectStatus().isOk();
        }
        check(address, article)
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:8080")
                .expectHeader()
                .value(
                        HttpHeaders.RETRY_AFTER,
                        value -> assertThat(Long.parseLong(value)).isBetween(1L, 900L))
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("You are checking drafts too fast."));
        // the reader who checked a lot may still post, and read
        post(address, article, newEmail()).expectStatus().isAccepted();
        read(address, article).expectStatus().isOk();
        check(newAddress(), article).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec check(String address, String article) {
        return client.post()
                .uri("/api/articles/{a}/comments/check", article)
                .header("X-Forwarded-For", address)
                .header(HttpHeaders.ORIGIN, "http://localhost:8080")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "A fair point about the treaty."))
                .exchange();
    }

    private WebTestClient.ResponseSpec read(String address, String article) {
        return client.get()
                .uri("/api/articles/{a}/comments", article)
                .header("X-Forwarded-For", address)
                .header(HttpHeaders.ORIGIN, "http://localhost:8080")
                .exchange();
    }

    private WebTestClient.ResponseSpec post(String address, String article, String email) {
        return client.post()
                .uri("/api/articles/{a}/comments", article)
                .header("X-Forwarded-For", address)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada", "email", email, "text", "Hello"))
                .exchange();
    }

    static String newAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private static String newArticle() {
        return "limits-" + UUID.randomUUID();
    }

    private static String newEmail() {
        return "reader-" + UUID.randomUUID() + "@example.org";
    }
}
