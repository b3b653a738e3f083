package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.EmbeddedBackendTest;
import dev.talkback.comments.published.LiveStreams.Stream;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live stream on a real broker and store: a decision published on {@code comments.moderated.v1} reaches an open
 * stream once the read model has it; a stream resumed with {@code Last-Event-ID} replays what it missed.
 */
@EmbeddedBackendTest
class CommentStreamTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CommentIds IDS = new CommentIds();

    @Autowired
    WebTestClient client;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    JsonMapper json;

    @BeforeEach
    void liveConsumerHasItsPartitions() {
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("comment-service-live"), 2);
        // the client's default 5 s for the response headers was once too short for the first stream of a cold JVM
        client = client.mutate().responseTimeout(WAIT).build();
    }

    @Test
    void aPublishedCommentArrivesOnTheOpenStreamWithoutEmailAndAHeldOneDoesNot() {
        String article = "stream-" + UUID.randomUUID();
        Stream stream = open(article, null);
        try {
            String held = IDS.next();
            moderate(held, article, 1, Outcome.HELD);
            String published = IDS.next();
            moderate(published, article, 1, Outcome.APPROVED);

            await().atMost(WAIT).until(() -> !stream.events().isEmpty());
            ServerSentEvent<String> event = stream.events().get(0);
            assertThat(event.event()).isEqualTo("comment");
            assertThat(event.id()).endsWith("-" + published);
            JsonNode data = json.readTree(event.data());
            assertThat(data.get("id").stringValue()).isEqualTo(published);
            assertThat(data.get("name").stringValue()).isEqualTo("Author of " + published);
            assertThat(data.get("text").stringValue()).isEqualTo("Text of " + published + " <b>");
            assertThat(data.get("html").stringValue()).contains("&lt;b&gt;");
            assertThat(data.get("publishedAt").isNull()).isFalse();
            assertThat(event.data()).doesNotContain("@").doesNotContain(held);

            // the stream announced it only once the read model had it: a reload shows it
            client.get()
                    .uri("/api/articles/{a}/comments", article)
                    .exchange()
                    .expectBody()
                    .jsonPath("$.comments[0].id")
                    .isEqualTo(published)
                    .jsonPath("$.total")
                    .isEqualTo(1);
            assertThat(stream.events()).hasSize(1);
        } finally {
            stream.close();
        }
    }

    @Test
    void aResumedStreamReplaysWhatItMissedThenGoesOnLive() {
        String article = "resume-" + UUID.randomUUID();
        String first = IDS.next();
        Stream before = open(article, null);
        String lastEventId;
        try {
            moderate(first, article, 1, Outcome.APPROVED);
            await().atMost(WAIT).until(() -> !before.events().isEmpty());
            lastEventId = before.events().get(0).id();
        } finally {
            before.close();
        }

        // while the reader is away: a new comment, the first one rejected after publication, a held one, another one
        String second = IDS.next();
        String third = IDS.next();
        moderate(second, article, 1, Outcome.APPROVED);
        moderate(first, article, 2, Outcome.REJECTED);
        moderate(IDS.next(), article, 1, Outcome.HELD);
        moderate(third, article, 1, Outcome.APPROVED);
        await().atMost(WAIT)
                .untilAsserted(() -> client.get()
                        .uri("/api/articles/{a}/comments", article)
                        .exchange()
                        .expectBody()
                        .jsonPath("$.total")
                        .isEqualTo(2)
                        .jsonPath("$.comments[0].id")
                        .isEqualTo(second));

        Stream resumed = open(article, lastEventId);
        try {
            await().atMost(WAIT).until(() -> resumed.events().size() >= 3);
            // in the order the read model applied them (records of different partitions may be applied in any order)
            assertThat(resumed.events())
                    .extracting(e ->
                            e.event() + " " + json.readTree(e.data()).get("id").stringValue())
                    .containsExactlyInAnyOrder("comment " + second, "removed " + first, "comment " + third);
            assertThat(resumed.events())
                    .extracting(e -> Long.parseLong(e.id().substring(0, e.id().indexOf('-'))))
                    .isSorted();

            String fourth = IDS.next();
            moderate(fourth, article, 1, Outcome.APPROVED);
            await().atMost(WAIT).until(() -> resumed.events().size() >= 4);
            assertThat(resumed.events().get(3).id()).endsWith("-" + fourth);
            assertThat(resumed.events()).hasSize(4);
        } finally {
            resumed.close();
        }
    }

    @Test
    void theStreamIsAnEventStreamThatOpensWithARetryHint() {
        client.get()
                .uri("/api/articles/{a}/comments/stream", "no-such-article")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(LiveStreams.EVENT)
                .getResponseBody()
                .take(1)
                .doOnNext(e -> assertThat(e.retry()).isEqualTo(Duration.ofSeconds(3)))
                .blockLast(WAIT);
        client.get()
                .uri("/api/articles/{a}/comments/stream", "-bad-")
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    private Stream open(String article, String lastEventId) {
        var request =
                client.get().uri("/api/articles/{a}/comments/stream", article).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return LiveStreams.open(request);
    }

    private void moderate(String id, String article, int revision, Outcome outcome) {
        kafka.send(Topics.COMMENTS_MODERATED, id, LiveStreams.decision(id, article, revision, outcome))
                .join();
    }
}
