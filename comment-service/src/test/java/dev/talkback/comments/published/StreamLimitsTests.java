package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.LimitedBackendTest;
import dev.talkback.comments.published.LiveStreams.Stream;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * The bounds of the live streams on a real server (here: 2 per address, 4 in all, 10 s each, 4 events buffered, 3
 * replayed, idle timeout 1 s), clients named by {@code X-Forwarded-For}.
 */
@LimitedBackendTest
class StreamLimitsTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CommentIds IDS = new CommentIds();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    StreamSubscriptions subscriptions;

    @Autowired
    CommentStreamController controller;

    @Autowired
    LiveComments live;

    private final List<Stream> streams = new ArrayList<>();

    @BeforeEach
    void liveConsumerHasItsPartitions() {
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer("comment-service-live"), 2);
        client = client.mutate().responseTimeout(WAIT).build();
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(Stream::close);
        await().atMost(WAIT).until(() -> subscriptions.open() == 0);
    }

    @Test
    void anAddressMayOpenTwoStreamsAndAThirdOnceOneIsClosed() {
        String address = newAddress();
        Stream first = open(address, "a-" + UUID.randomUUID(), null);
        open(address, "b-" + UUID.randomUUID(), null);
        request(address, "c-" + UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("from your address"));
        open(newAddress(), "d-" + UUID.randomUUID(), null); // another reader is not affected

        first.close();
        await().atMost(WAIT).until(() -> subscriptions.open() == 2);
        open(address, "e-" + UUID.randomUUID(), null);
    }

    @Test
    void theInstanceOpensAtMostFourStreams() {
        for (int i = 0; i < 4; i++) {
            open(newAddress(), "many-" + UUID.randomUUID(), null);
        }
        request(newAddress(), "one-more")
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(d -> assertThat((String) d).contains("too many live streams"));
    }

    @Test
    void aQuietStreamOutlivesTheServerTimeoutsStillGetsEventsAndEndsAfterItsLifetime() {
        String article = "lifetime-" + UUID.randomUUID();
        Instant opened = Instant.now();
        Stream stream = open(newAddress(), article, null);
        // longer than the idle (1 s), request head (1 s) and body (2 s) timeouts, with no heartbeat (every 15 s)
        await().pollDelay(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(4))
                .until(() -> !stream.ended().get());
        String id = IDS.next();
        moderate(id, article, 1, Outcome.APPROVED);
        await().atMost(WAIT).until(() -> !stream.events().isEmpty());
        assertThat(stream.events().get(0).id()).endsWith("-" + id);

        await().atMost(WAIT).until(stream.ended()::get);
        assertThat(Duration.between(opened, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void aResumeFromBeforeTheReplayWindowIsToldToReload() {
        String old = new StreamPosition(Instant.now().minus(Duration.ofMinutes(11)), IDS.next()).encode();
        Stream stream = open(newAddress(), "old-" + UUID.randomUUID(), old);
        await().atMost(WAIT).until(() -> !stream.events().isEmpty());
        ServerSentEvent<String> reload = stream.events().get(0);
        assertThat(reload.event()).isEqualTo("reload");
        assertThat(StreamPosition.parse(reload.id()).changedAt())
                .isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void aResumeWithMoreChangesThanTheReplayMaximumIsToldToReload() {
        String article = "busy-" + UUID.randomUUID();
        String before = new StreamPosition(Instant.now().minusSeconds(10), IDS.next()).encode();
        for (int i = 0; i < 4; i++) {
            moderate(IDS.next(), article, 1, Outcome.APPROVED);
        }
        await().atMost(WAIT)
                .untilAsserted(() -> client.get()
                        .uri("/api/articles/{a}/comments", article)
                        .header("X-Forwarded-For", newAddress())
                        .exchange()
                        .expectBody()
                        .jsonPath("$.total")
                        .isEqualTo(4));

        Stream stream = open(newAddress(), article, before);
        await().atMost(WAIT).until(() -> !stream.events().isEmpty());
        assertThat(stream.events()).extracting(ServerSentEvent::event).containsExactly("reload");
    }

    @Test
    void aReaderThatFallsBehindItsBufferIsDisconnected() {
        String article = "slow-" + UUID.randomUUID();
        var request = MockServerHttpRequest.get("/api/articles/" + article + "/comments/stream")
                .remoteAddress(new InetSocketAddress("127.0.0.1", 40000))
                .build();
        // the reader takes the first line, then reads nothing more while comments are published
        StepVerifier.create(controller.stream(article, null, null, request), 1)
                .expectNextCount(1)
                .then(() -> {
                    for (int i = 0; i < 10; i++) {
                        live.emit(document(IDS.next(), article));
                    }
                })
                .expectComplete()
                .verify(WAIT);
    }

    private Stream open(String address, String article, String lastEventId) {
        var request = request(address, article);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        Stream stream = LiveStreams.open(request);
        streams.add(stream);
        return stream;
    }

    private WebTestClient.RequestHeadersSpec<?> request(String address, String article) {
        return client.get()
                .uri("/api/articles/{a}/comments/stream", article)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .header("X-Forwarded-For", address);
    }

    private void moderate(String id, String article, int revision, Outcome outcome) {
        kafka.send(Topics.COMMENTS_MODERATED, id, LiveStreams.decision(id, article, revision, outcome))
                .join();
    }

    private static CommentDocument document(String id, String article) {
        Instant now = Instant.now();
        return new CommentDocument(
                id,
                article,
                null,
                "Ada",
                null,
                "Hello",
                now,
                CommentStatus.PUBLISHED,
                null,
                1,
                now,
                now,
                null,
                null,
                null);
    }

    /**
     * An address no other test of the shared context uses: drawn at random from 254, two tests' addresses met often
     * enough that one drained the other's read bucket (5 an hour here) and got a 429.
     */
    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.18." + (n >> 8 & 255) + "." + (n & 255);
    }
}
