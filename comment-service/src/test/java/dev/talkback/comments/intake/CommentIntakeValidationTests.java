package dev.talkback.comments.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.EmbeddedBackendTest;
import dev.talkback.comments.KafkaTopics;
import dev.talkback.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Every bad input is answered with a problem detail naming the bad field, and nothing reaches Kafka. */
@EmbeddedBackendTest
class CommentIntakeValidationTests {

    private static final String URL = "/api/articles/validation-article/comments";

    @Autowired
    WebTestClient client;

    /** This context's broker (the system property names the broker of whichever test context started last). */
    @Autowired
    EmbeddedKafkaBroker broker;

    private long submittedBefore;

    @BeforeEach
    void countSubmitted() {
        submittedBefore = new KafkaTopics(broker.getBrokersAsString()).recordCount(Topics.COMMENTS_SUBMITTED);
    }

    @AfterEach
    void nothingPublished() {
        // a 202 is only sent after the write was acknowledged, so any write would already be visible here
        assertThat(new KafkaTopics(broker.getBrokersAsString()).recordCount(Topics.COMMENTS_SUBMITTED))
                .as("records on %s", Topics.COMMENTS_SUBMITTED)
                .isEqualTo(submittedBefore);
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("name missing", without("name"), "name"),
                Arguments.of("name blank", with("name", "   "), "name"),
                Arguments.of("name too long", with("name", "n".repeat(101)), "name"),
                Arguments.of("name with a line break", with("name", "Ada\nBcc: x"), "name"),
                Arguments.of("email missing", without("email"), "email"),
                Arguments.of("email blank", with("email", " "), "email"),
                Arguments.of("email not an address", with("email", "ada.example.org"), "email"),
                Arguments.of("email with a backslash escape", with("email", "test\\@test@iana.org"), "email"),
                Arguments.of(
                        "email with header injection", with("email", "ada@example.org\r\nBcc: x@example.org"), "email"),
                Arguments.of("email too long", with("email", "a".repeat(64) + "@" + "b".repeat(186) + ".org"), "email"),
                Arguments.of("website javascript:", with("website", "javascript:alert(1)"), "website"),
                Arguments.of("website ftp:", with("website", "ftp://files.example.org/"), "website"),
                Arguments.of("website without host", with("website", "https://"), "website"),
                Arguments.of("website too long", with("website", "https://example.org/" + "p".repeat(181)), "website"),
                Arguments.of("text missing", without("text"), "text"),
                Arguments.of("text blank", with("text", " \n\t "), "text"),
                Arguments.of("text too long", with("text", "t".repeat(10_001)), "text"),
                Arguments.of("parentId malformed", with("parentId", "not-an-id"), "parentId"),
                Arguments.of("parentId unknown", with("parentId", new CommentIds().next()), "parentId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFields")
    void invalidFieldIsUnprocessable(String description, Map<String, Object> body, String field) {
        post(body)
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(422)
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat(asList(fields)).containsExactly(field));
    }

    @Test
    void everyBadFieldIsNamed() {
        post(Map.of("website", "javascript:alert(1)", "email", "nope"))
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(fields ->
                        assertThat(asList(fields)).containsExactlyInAnyOrder("name", "email", "website", "text"))
                .jsonPath("$.errors[*].message")
                .value(messages -> assertThat(asList(messages)).doesNotContainNull());
    }

    @Test
    void malformedJsonIsABadRequest() {
        postRaw("{\"name\": \"Ada\", \"text\": ", MediaType.APPLICATION_JSON)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("not valid JSON"));
    }

    @Test
    void bodyThatIsNotAnObjectIsABadRequest() {
        postRaw("[1, 2]", MediaType.APPLICATION_JSON)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The body must be a JSON object.");
    }

    @Test
    void emptyBodyIsABadRequest() {
        postRaw("", MediaType.APPLICATION_JSON)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongJsonTypesAreABadRequestNamingTheFields() {
        post(with(with(with("name", 42), "notifyReplies", "yes"), "notifyPublished", 1))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[*].field")
                .value(fields -> assertThat(asList(fields))
                        .containsExactlyInAnyOrder("name", "notifyReplies", "notifyPublished"))
                .jsonPath("$.errors[?(@.field == 'notifyPublished')].message")
                .value(m -> assertThat(m.toString()).contains("must be true or false, not a number"))
                .jsonPath("$.errors[?(@.field == 'name')].message")
                .value(m -> assertThat(m.toString()).contains("not a number"));
    }

    @Test
    void textAsAnArrayIsABadRequest() {
        post(with("text", List.of("a", "b")))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("text");
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        postRaw("name=Ada&email=ada@example.org&text=hi", MediaType.APPLICATION_FORM_URLENCODED)
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        postRaw(validJson(), MediaType.TEXT_PLAIN)
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void bodyOverTheLimitIsTooLargeByContentLength() {
        String big = "{\"name\":\"Ada\",\"email\":\"ada@example.org\",\"text\":\"hi\",\"padding\":\""
                + "x".repeat(65 * 1024) + "\"}";
        postRaw(big, MediaType.APPLICATION_JSON)
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(413);
    }

    @Test
    void bodyOverTheLimitIsTooLargeWhileReadingAChunkedBody() {
        byte[] head = "{\"name\":\"Ada\",\"email\":\"ada@example.org\",\"text\":\"hi\",\"padding\":\""
                .getBytes(StandardCharsets.UTF_8);
        byte[] chunk = "x".repeat(4096).getBytes(StandardCharsets.UTF_8);
        var factory = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> body = Flux.concat(
                Flux.just(factory.wrap(head)),
                Flux.range(0, 17).map(i -> factory.wrap(chunk)),
                Flux.just(factory.wrap("\"}".getBytes(StandardCharsets.UTF_8))));
        client.post()
                .uri(URL)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body, DataBuffer.class)
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void badArticleIdIsNamed() {
        client.post()
                .uri("/api/articles/{id}/comments", ".hidden")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(validJson())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("articleId");
    }

    @Test
    void aMisspelledProviderIsRefusedWithASuggestion() {
        Map<String, Object> body =
                new java.util.HashMap<>(Map.of("name", "Ada", "email", "ada@gmial.com", "text", "hi"));
        client.post()
                .uri(URL)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("email")
                .jsonPath("$.errors[0].suggestion")
                .isEqualTo("ada@gmail.com");
    }

    @Test
    void unknownFieldsAreIgnored() {
        // the only test here that publishes: it proves the bodies above fail for the named reason only
        submittedBefore += 1;
        post(with("favouriteColour", "green")).expectStatus().isAccepted();
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return client.post()
                .uri(URL)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec postRaw(String body, MediaType type) {
        return client.post()
                .uri(URL)
                .contentType(type)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    private static Map<String, Object> valid() {
        return Map.of(
                "name",
                "Ada Reader",
                "email",
                "ada@example.org",
                "website",
                "https://ada.example.org",
                "text",
                "A thaw would be welcome.",
                "notifyReplies",
                true);
    }

    private static String validJson() {
        return "{\"name\":\"Ada\",\"email\":\"ada@example.org\",\"text\":\"hi\"}";
    }

    private static Map<String, Object> with(String field, Object value) {
        return with(valid(), field, value);
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        var copy = new java.util.LinkedHashMap<>(base);
        copy.put(field, value);
        return copy;
    }

    private static Map<String, Object> without(String field) {
        var copy = new java.util.LinkedHashMap<>(valid());
        copy.remove(field);
        return copy;
    }

    private static List<Object> asList(Object value) {
        return value instanceof List<?> list ? List.copyOf(list) : List.of(value);
    }
}
