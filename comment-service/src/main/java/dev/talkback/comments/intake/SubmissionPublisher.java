package dev.talkback.comments.intake;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.events.CommentAppealed;
import dev.talkback.events.CommentReported;
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
 * Publishes {@code CommentSubmitted} and {@code CommentReported}, keyed by comment id, and completes only when Kafka
 * acknowledged the write ({@code acks=all}). Kafka is the intake's only store: no acknowledgement within {@code comments.publish-timeout}
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
        return send(
                Topics.COMMENTS_SUBMITTED,
                event.commentId(),
                event,
                "Comment " + event.commentId() + " for article " + event.articleId(),
                "Comments cannot be accepted right now; nothing was saved. Please try again later.");
    }

    Mono<Void> publish(CommentReported event) {
        return send(
                Topics.COMMENTS_REPORTED,
                event.commentId(),
                event,
                "Report " + event.reportId() + " of comment " + event.commentId(),
                "Reports cannot be accepted right now; nothing was saved. Please try again later.");
    }

    Mono<Void> publish(CommentAppealed event) {
        return send(
                Topics.COMMENTS_APPEALED,
                event.commentId(),
                event,
                "Appeal of comment " + event.commentId() + " (revision " + event.revision() + ")",
                "The appeal cannot be accepted right now; nothing was saved. Please try again later.");
    }

    private Mono<Void> send(String topic, String commentId, Object event, String what, String refusal) {
        // send() may block for metadata up to max.block.ms: keep it off the event loop
        return Mono.fromFuture(() -> kafkaTemplate.send(topic, commentId, event))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout)
                .doOnNext(result -> {
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, commentId)) {
                        log.info(
                                "{} submitted (partition {}, offset {})",
                                what,
                                result.getRecordMetadata().partition(),
                                result.getRecordMetadata().offset());
                    }
                })
                .onErrorMap(ex -> {
                    try (var id = MDC.putCloseable(CommentIdLogging.MDC_KEY, commentId)) {
                        log.warn("{} NOT accepted, Kafka did not acknowledge: {}", what, ex.toString());
                    }
                    return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, refusal, List.of(), retryAfter);
                })
                .then();
    }
}
