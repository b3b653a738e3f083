package dev.talkback.comments.published;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentsProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * {@code GET /api/articles/{articleId}/comments/stream}: Server-Sent Events of the article's newly published comments
 * ({@code event: comment}, the JSON of the list, without replies) and of comments hidden after publication
 * ({@code event: removed}, {@code {"id": …}}). Each event's {@code id} is its {@link StreamPosition}; a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?lastEventId=}, for clients that cannot set the header) first gets
 * what changed since, from the read model, then the live changes. Comment lines every
 * {@code comments.stream.heartbeat} keep idle connections open through proxies.
 */
@RestController
class CommentStreamController {

    static final String COMMENT = "comment";
    static final String REMOVED = "removed";
    private static final Duration CLIENT_RETRY = Duration.ofSeconds(3);

    private final PublishedComments readModel;
    private final LiveComments live;
    private final CommentRenderer renderer;
    private final CommentsProperties.Stream settings;

    CommentStreamController(PublishedComments readModel, LiveComments live, CommentRenderer renderer,
            CommentsProperties properties) {
        this.readModel = readModel;
        this.live = live;
        this.renderer = renderer;
        this.settings = properties.stream();
    }

    @GetMapping(path = "/api/articles/{articleId}/comments/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@PathVariable String articleId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParam) {
        ArticleIds.requireValid(articleId);
        StreamPosition from = StreamPosition.parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);

        ServerSentEvent<Object> hello = ServerSentEvent.builder().comment("comments of " + articleId).retry(CLIENT_RETRY).build();
        Flux<ServerSentEvent<Object>> changes = Flux.defer(() -> {
            // subscribe to the live changes first, buffering them while the replay is read, so nothing falls in
            // between; the first line (which commits the response) is only sent once this subscription exists
            Sinks.Many<CommentDocument> buffer = Sinks.many().unicast().onBackpressureBuffer();
            Disposable subscription = live.of(articleId).subscribe(buffer::tryEmitNext);
            Flux<CommentDocument> replay = from == null ? Flux.empty()
                    : readModel.changedSince(articleId, from.changedAt().minus(settings.resumeOverlap()), settings.maxReplay())
                            .filter(doc -> !StreamPosition.of(doc).equals(from));
            Set<StreamPosition> sent = ConcurrentHashMap.newKeySet();
            Flux<ServerSentEvent<Object>> events = Flux.concat(replay, buffer.asFlux())
                    .filter(doc -> sent.add(StreamPosition.of(doc)))
                    .map(this::event);
            return Flux.concat(Flux.just(hello), events).doFinally(signal -> subscription.dispose());
        });
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(settings.heartbeat())
                .map(tick -> ServerSentEvent.builder().comment("heartbeat").build());
        return Flux.merge(changes, heartbeats);
    }

    private ServerSentEvent<Object> event(CommentDocument doc) {
        String id = StreamPosition.of(doc).encode();
        if (doc.status() == CommentStatus.PUBLISHED) {
            CommentView view = new CommentView(doc.id(), doc.parentId(), doc.authorName(), doc.website(), doc.text(),
                    renderer.render(doc.text()), doc.publishedAt(), List.of());
            return ServerSentEvent.<Object>builder(view).id(id).event(COMMENT).build();
        }
        return ServerSentEvent.<Object>builder(Map.of("id", doc.id())).id(id).event(REMOVED).build();
    }
}
