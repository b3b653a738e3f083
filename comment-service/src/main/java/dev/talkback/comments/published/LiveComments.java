package dev.talkback.comments.published;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The live fan-out of decisions to this instance's stream subscribers, and the eviction of the article's cached pages
 * ({@link ArticlePageCache}).
 * <p>
 * Every instance reads {@code comments.moderated.v1} in a consumer group of its own ({@code comment-service-live-<random>},
 * from the latest offset, next to the shared read-model group), so each instance hears of every decision whichever
 * instance applied it to the read model. It then waits until the read model holds that decision (or a later one) and
 * emits the stored document: a stream never announces a comment that a reload of the page would not show, and every
 * subscriber of every instance gets each change once. Nothing here throws into the container: a decision the read
 * model does not reach in time is dropped from the live fan-out (a resumed or reloaded page still finds it).
 */
@Component
class LiveComments {

    private static final Logger log = LoggerFactory.getLogger(LiveComments.class);
    /** Re-reads of the read model: soon at first (it is usually a few ms behind), then every 100 ms. */
    private static final Duration FIRST_POLL = Duration.ofMillis(5);

    private static final Duration MAX_POLL = Duration.ofMillis(100);

    private final PublishedComments readModel;
    private final ArticlePageCache pages;
    private final Duration readModelWait;
    private final Sinks.Many<CommentDocument> changes = Sinks.many().multicast().directBestEffort();

    LiveComments(PublishedComments readModel, ArticlePageCache pages, CommentsProperties properties) {
        this.readModel = readModel;
        this.pages = pages;
        this.readModelWait = properties.stream().readModelWait();
    }

    /** Changes of the article's visible comments from now on: published ones, and ones hidden after publication. */
    Flux<CommentDocument> of(String articleId) {
        return changes.asFlux().filter(doc -> doc.articleId().equals(articleId));
    }

    @KafkaListener(
            id = "comment-service-live",
            groupId = "comment-service-live-#{T(java.util.UUID).randomUUID()}",
            topics = Topics.COMMENTS_MODERATED,
            properties = {"auto.offset.reset=latest"})
    void on(CommentModerated event) {
        Mono.defer(() -> readModel.findById(event.commentId()))
                .filter(doc -> doc.revision() >= event.revision())
                .repeatWhenEmpty(attempts -> attempts.concatMap(attempt -> Mono.delay(pollDelay(attempt))))
                .timeout(readModelWait)
                .filter(doc -> doc.publishedAt() != null && doc.changedAt() != null)
                .subscribe(
                        this::emit,
                        ex -> log.debug(
                                "Comment {}: not in the read model after {}, not streamed ({})",
                                event.commentId(),
                                readModelWait,
                                ex.toString()));
    }

    /** 5, 10, 20, 40, 80, then 100 ms: a decision reaches the live streams within a few ms of the read model. */
    private static Duration pollDelay(long attempt) {
        Duration doubled = FIRST_POLL.multipliedBy(1L << Math.min(attempt, 5));
        return doubled.compareTo(MAX_POLL) < 0 ? doubled : MAX_POLL;
    }

    void emit(CommentDocument doc) {
        // the read model holds the change: pages built before it are out of date
        pages.evict(doc.articleId());
        // the sink wants one emitter at a time; documents arrive on several store threads
        synchronized (changes) {
            changes.tryEmitNext(doc);
        }
    }
}
