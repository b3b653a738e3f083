package dev.talkback.comments.published;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/** Helpers of the stream tests: an open stream's events, and decisions as moderation-service publishes them. */
final class LiveStreams {

    static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {};

    private LiveStreams() {}

    /** Opens the stream (it must answer 200) and collects its events (not its comment lines) in the background. */
    static Stream open(WebTestClient.RequestHeadersSpec<?> request) {
        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        Disposable subscription = request.exchange()
                .expectStatus()
                .isOk()
                .returnResult(EVENT)
                .getResponseBody()
                .filter(e -> e.event() != null)
                .doFinally(signal -> ended.set(true))
                .subscribe(events::add);
        return new Stream(events, ended, subscription);
    }

    /** The decision on a comment named after its id ("Author of …", "Text of … &lt;b&gt;"). */
    static CommentModerated decision(String id, String article, int revision, Outcome outcome) {
        Instant at = Instant.now();
        return new CommentModerated(
                UUID.randomUUID(),
                at,
                id,
                article,
                revision,
                outcome,
                revision > 1,
                List.of(),
                null,
                new CommentModerated.PublicComment(
                        null, "Author of " + id, null, "Text of " + id + " <b>", at.minusSeconds(1)),
                new CommentModerated.AuthorContact("someone@example.org", false));
    }

    /** An open stream: its events so far, whether it has ended (either side), and how to close it. */
    record Stream(List<ServerSentEvent<String>> events, AtomicBoolean ended, Disposable subscription) {

        void close() {
            subscription.dispose();
        }
    }
}
