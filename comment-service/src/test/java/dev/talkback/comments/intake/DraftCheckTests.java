package dev.talkback.comments.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.LimitedBackendTest;
import dev.talkback.engine.AbuseCategory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The nudge's draft check on a real server, turned on ({@link LimitedBackendTest}): the categories of an obvious
 * insult, none for news prose, and the intake's refusals of bad input. Each request comes from an address of its own
 * (the checks per address are limited here).
 */
@LimitedBackendTest
class DraftCheckTests {

    private static final String INSULT = "You are a stupid idiot, you moron";

    @Autowired
    WebTestClient client;

    @Autowired
    AbuseNudge nudge;

    @BeforeEach
    void modelTrained() {
        await().atMost(Duration.ofSeconds(60)).until(nudge::ready);
    }

    /** Needs a real abuse model: the engine's interface alone scores every text 0. */
    @Test
    void anObviousInsultIsNamedWithWhatToChange() {
        check(Map.of("text", INSULT))
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.holdFrom")
                .isEqualTo(0.5)
                .jsonPath("$.categories[0].category")
                .isEqualTo("insult")
                .jsonPath("$.categories[0].score")
                .value(score -> assertThat(((Number) score).doubleValue()).isBetween(0.5, 1.0))
                .jsonPath("$.categories[0].description")
                .isEqualTo("an insult")
                .jsonPath("$.categories[0].advice")
                .isEqualTo(AbuseCategory.INSULT.advice());
    }

    @Test
    void ordinaryNewsProseIsNamedNothing() {
        for (String prose : new String[] {
            "The central bank kept interest rates unchanged on Thursday, citing slowing inflation.",
            "I disagree with the minister: the treaty leaves the fishing quotas to a later round of talks.",
            "Thanks for the clear report. Does anyone know when the council votes on the new bus lanes?"
        }) {
            check(Map.of("text", prose))
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.categories")
                    .isArray()
                    .jsonPath("$.categories.length()")
                    .isEqualTo(0)
                    .jsonPath("$.holdFrom")
                    .isEqualTo(0.5);
        }
    }

    @Test
    void badInputGetsTheIntakesProblemDetails() {
        check("{not json")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(d -> assertThat((String) d).startsWith("The body is not valid JSON"));
        check("[\"text\"]").expectStatus().isBadRequest();
        check(Map.of("text", 42))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("text")
                .jsonPath("$.errors[0].message")
                .isEqualTo("must be a JSON string, not a number");
        request("/api/articles/{a}/comments/check", "-bad id")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "Hello"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("articleId");

        check(Map.of())
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("text")
                .jsonPath("$.errors[0].message")
                .isEqualTo("is required");
        check(Map.of("text", "  \n "))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].message")
                .isEqualTo("must not be blank");
        // the limit counts code points: 10,000 emoji pass, one more does not
        check(Map.of("text", "😀".repeat(10_000))).expectStatus().isOk();
        check(Map.of("text", "😀".repeat(10_001)))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].message")
                .isEqualTo("must be at most 10000 characters");

        // larger than comments.max-body-size (64 KB), refused on its Content-Length
        check(Map.of("text", "a".repeat(70_000)))
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        address()
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("hello")
                .exchange()
                .expectStatus()
                .isEqualTo(415);
    }

    private WebTestClient.ResponseSpec check(Object body) {
        return address().contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.RequestBodySpec address() {
        return request("/api/articles/{a}/comments/check", "nudge-" + UUID.randomUUID());
    }

    private WebTestClient.RequestBodySpec request(String uri, String article) {
        return client.post()
                .uri(uri, article)
                .header("X-Forwarded-For", newAddress())
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
    }

    private static String newAddress() {
        return "10.9." + (int) (Math.random() * 256) + "." + (1 + (int) (Math.random() * 254));
    }
}
