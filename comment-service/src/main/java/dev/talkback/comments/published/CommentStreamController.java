package dev.talkback.comments.published;

import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ClientAddressResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * {@code GET /api/articles/{articleId}/comments/stream}: Server-Sent Events of the article's newly published comments
 * ({@code event: comment}, the JSON of the list, without replies) and of comments hidden after publication
 * ({@code event: removed}, {@code {"id": …}}). Each event's {@code id} is its {@link StreamPosition}; a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?lastEventId=}, for clients that cannot set the header) first gets
 * what changed since, from the read model, then the live changes. Comment lines every
 * {@code comments.stream.heartbeat} keep idle connections open through proxies. Streams are bounded by
 * {@code comments.stream-limits}: how many per client address and per instance, how long each lives, how many events
 * wait for a slow reader, and how far back a resume replays.
 */
@RestController
class CommentStreamController {

    static final String COMMENT = "comment";
    static final String REMOVED = "removed";
    static final String RELOAD = "reload";
    /** The comment id part of a {@code reload} event's id: well-formed, and no comment's. */
    private static final String RELOAD_ID = "00000000000000000000000000";

    private static final Duration CLIENT_RETRY = Duration.ofSeconds(3);

    private final PublishedComments readModel;
    private final LiveComments live;
    private final CommentRenderer renderer;
    private final CommentsProperties.Stream settings;
    private final CommentsProperties.StreamLimits limits;
    private final StreamSubscriptions subscriptions;
    private final ClientAddressResolver clientAddresses;

    CommentStreamController(
            PublishedComments readModel,
            LiveComments live,
            CommentRenderer renderer,
            CommentsProperties properties,
            StreamSubscriptions subscriptions) {
        this.readModel = readModel;
        this.live = live;
        this.renderer = renderer;
        this.settings = properties.stream();
        this.limits = properties.streamLimits();
        this.subscriptions = subscriptions;
        this.clientAddresses = properties.clientIp().resolver();
    }

    @GetMapping(path = "/api/articles/{articleId}/comments/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(
            @PathVariable String articleId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParam,
            ServerHttpRequest request) {
        ArticleIds.requireValid(articleId);
        StreamPosition from = StreamPosition.parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        Runnable release = subscriptions.admit(clientAddresses.resolve(request));

        ServerSentEvent<Object> hello = ServerSentEvent.builder()
                .comment("comments of " + articleId)
                .retry(CLIENT_RETRY)
                .build();
        Flux<ServerSentEvent<Object>> changes = Flux.defer(() -> {
            // subscribe to the live changes first, buffering them while the replay is read, so nothing falls in
            // between; the first line (which commits the response) is only sent once this subscription exists.
            // The buffer is bounded: a reader that falls further behind is disconnected (its browser reconnects and
            // resumes from the read model) rather than holding ever more events in memory.
            Sinks.Many<CommentDocument> buffer = Sinks.many()
                    .unicast()
                    .onBackpressureBuffer(
                            Queues.<CommentDocument>get(limits.buffer()).get());
            Sinks.One<Boolean> overflow = Sinks.one();
            Disposable subscription = live.of(articleId).subscribe(doc -> {
                if (buffer.tryEmitNext(doc).isFailure()) {
                    overflow.tryEmitValue(true);
                }
            });
            Set<StreamPosition> sent = ConcurrentHashMap.newKeySet();
            Flux<ServerSentEvent<Object>> events = Flux.concat(
                    replay(articleId, from, sent),
                    buffer.asFlux()
                            .filter(doc -> sent.add(StreamPosition.of(doc)))
                            .map(this::event));
            return Flux.concat(Flux.just(hello), events)
                    .takeUntilOther(overflow.asMono())
                    .doFinally(signal -> subscription.dispose());
        });
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(settings.heartbeat())
                .map(tick -> ServerSentEvent.builder().comment("heartbeat").build());
        // ended after its lifetime: the browser reconnects with Last-Event-ID by itself and misses nothing
        return Flux.merge(changes, heartbeats).take(limits.maxLifetime()).doFinally(signal -> release.run());
    }

    /**
     * What changed since the client's last event, from the read model. A position older than the replay window, or
     * one followed by more changes than {@code comments.stream.max-replay}, gets a {@code reload} event instead: the
     * client reads the comments afresh (its id, now, is where a later resume starts).
     */
    private Flux<ServerSentEvent<Object>> replay(
            String articleId, @Nullable StreamPosition from, Set<StreamPosition> sent) {
        if (from == null) {
            return Flux.empty();
        }
        Instant now = Instant.now();
        if (from.changedAt().isBefore(now.minus(limits.replayWindow()))) {
            return Flux.just(reload(now));
        }
        return readModel
                .changedSince(articleId, from.changedAt().minus(settings.resumeOverlap()), settings.maxReplay() + 1)
                .collectList()
                .flatMapMany(docs -> docs.size() > settings.maxReplay()
                        ? Flux.just(reload(now))
                        : Flux.fromIterable(docs)
                                .filter(doc -> !StreamPosition.of(doc).equals(from) && sent.add(StreamPosition.of(doc)))
                                .map(this::event));
    }

    private static ServerSentEvent<Object> reload(Instant now) {
        return ServerSentEvent.<Object>builder(Map.of())
                .id(new StreamPosition(now, RELOAD_ID).encode())
                .event(RELOAD)
                .build();
    }

    private ServerSentEvent<Object> event(CommentDocument doc) {
        String id = StreamPosition.of(doc).encode();
        if (doc.status() == CommentStatus.PUBLISHED) {
            CommentView view = new CommentView(
                    doc.id(),
                    doc.parentId(),
                    doc.authorName(),
                    doc.website(),
                    doc.text(),
                    renderer.render(doc.text()),
                    doc.publishedAt(),
                    List.of());
            return ServerSentEvent.<Object>builder(view).id(id).event(COMMENT).build();
        }
        return ServerSentEvent.<Object>builder(Map.of("id", doc.id()))
                .id(id)
                .event(REMOVED)
                .build();
    }
}
