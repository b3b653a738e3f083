package dev.talkback.comments.intake;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import dev.talkback.support.kafka.CommentIdLogging;
import dev.talkback.support.web.ApiProblem;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes {@code CommentSubmitted}, keyed by comment id, and completes only when Kafka acknowledged the write
 * ({@code acks=all}). Kafka is the intake's only store: no acknowledgement within {@code comments.publish-timeout}
 * means 503 with {@code Retry-After}, never a 202.
 */
@Component
class SubmissionPublisher {

    private static final Logger log = LoggerFactory.getLogger(SubmissionPublisher.class);

    private final KafkaTemplate<String, Object> kafkaTemplate;
    private final Duration timeout;
    private final Duration retryAfter;

    SubmissionPublisher(KafkaTemplate<String, Object> kafkaTemplate, CommentsProperties properties) {
        this.kafkaTemplate = kafkaTemplate;
        this.timeout = properties.publishTimeout();
        this.retryAfter = properties.retryAfter();
    }

    Mono<Void> publish(CommentSubmitted event) {
        // send() may block for metadata up to max.block.ms: keep it off the event loop
        return Mono.fromFuture(() -> kafkaTemplate.send(Topics.COMMENTS_SUBMITTED, event.commentId(), event))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout)
                .doOnNext(result -> {
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, event.commentId())) {
                        log.info(
                                "Comment {} for article {} submitted (partition {}, offset {})",
                                event.commentId(),
                                event.articleId(),
                                result.getRecordMetadata().partition(),
                                result.getRecordMetadata().offset());
                    }
                })
                .onErrorMap(ex -> {
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, event.commentId())) {
                        log.warn(
                                "Comment {} for article {} NOT accepted, Kafka did not acknowledge: {}",
                                event.commentId(),
                                event.articleId(),
                                ex.toString());
                    }
                    return new ApiProblem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "Comments cannot be accepted right now; nothing was saved. Please try again later.",
                            List.of(),
                            retryAfter);
                })
                .then();
    }
}
