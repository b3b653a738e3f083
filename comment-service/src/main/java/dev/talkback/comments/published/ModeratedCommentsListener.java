package dev.talkback.comments.published;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import dev.talkback.support.kafka.CommentIdLogging;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Builds the read model from {@code comments.moderated.v1}, a poll at a time: the newest decision of each comment in
 * the poll, all in one bulk write ({@link PublishedComments#applyAll}), then each changed article's pages evicted
 * once. Offsets are committed once the listener returned, so after the write.
 *
 * <p>Failures go to the common error handler as a {@link BatchListenerFailedException} naming a record: the records
 * before it are committed, it gets the back-off and then goes to the dead letters (or waits without limit, for an
 * outage), and the records after it are delivered again. A poison record (unreadable, or refused by the store) is
 * named only once the others were written, so they do not wait for its back-off; delivered again, they are stale and
 * change nothing. A failure of the whole write names the first record: the whole poll is tried again.
 */
@Component
class ModeratedCommentsListener {

    private static final Logger log = LoggerFactory.getLogger(ModeratedCommentsListener.class);
    private static final LogAccessor LOG_ACCESSOR = new LogAccessor(ModeratedCommentsListener.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);
    private static final String TRACEPARENT = "traceparent";
    /** W3C trace context: version, trace id, parent span id, flags (lower-case hex only: nothing else enters a log). */
    private static final Pattern TRACE_CONTEXT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    /** The MDC key of Micrometer Tracing's trace id, as {@code logging.pattern.correlation} shows it. */
    private static final String TRACE_ID = "traceId";

    private final PublishedComments readModel;
    private final ArticlePageCache pages;

    ModeratedCommentsListener(PublishedComments readModel, ArticlePageCache pages) {
        this.readModel = readModel;
        this.pages = pages;
    }

    @KafkaListener(
            id = "comment-service-read-model",
            groupId = "comment-service",
            topics = Topics.COMMENTS_MODERATED,
            batch = "true")
    void on(List<ConsumerRecord<String, @Nullable CommentModerated>> records) {
        if (records.isEmpty()) {
            return;
        }
        // per comment the record of its highest revision (the first of equal ones), as one write per record in order
        // would leave it: the others are stale or repeated
        Map<String, Integer> newest = new LinkedHashMap<>();
        @Nullable Failure failure = null;
        for (int i = 0; i < records.size(); i++) {
            CommentModerated event = records.get(i).value();
            if (event == null) {
                failure = Failure.first(failure, i, unreadable(records.get(i)));
                continue;
            }
            newest.merge(
                    event.commentId(),
                    i,
                    (kept, candidate) -> revision(records, candidate) > revision(records, kept) ? candidate : kept);
        }
        List<Integer> winners = new ArrayList<>(newest.values());
        List<CommentModerated> events =
                winners.stream().map(i -> records.get(i).value()).toList();

        List<PublishedComments.Written> written;
        try {
            // a listener thread, not an event loop: blocking here keeps per-partition order and commit-after-store
            written = readModel.applyAll(events).block(STORE_TIMEOUT);
        } catch (RuntimeException ex) {
            // nothing is known to be written: the whole poll again, without limit if the store is out
            throw new BatchListenerFailedException("The read model could not be written", ex, records.get(0));
        }

        Set<String> changedArticles = new LinkedHashSet<>();
        for (int w = 0; w < winners.size(); w++) {
            CommentModerated event = events.get(w);
            PublishedComments.Written result = written.get(w);
            ConsumerRecord<String, ?> record = records.get(winners.get(w));
            if (result.applied()) {
                changedArticles.add(event.articleId());
                logApplied(record, event);
            } else if (result.refusal() == null) {
                logIgnored(record, event);
            } else {
                failure = Failure.first(failure, winners.get(w), result.refusal());
            }
        }
        for (int i = 0; i < records.size(); i++) {
            CommentModerated event = records.get(i).value();
            if (event != null && newest.get(event.commentId()) != i) {
                logIgnored(records.get(i), event);
            }
        }
        // this instance's pages at once; LiveComments evicts them on every instance too, but it hears of the
        // decision on its own consumer, often before the read model holds it, and then waits to read it again
        changedArticles.forEach(pages::evict);

        if (failure != null) {
            throw new BatchListenerFailedException(
                    "A decision could not be applied", failure.cause(), records.get(failure.index()));
        }
    }

    private static int revision(List<ConsumerRecord<String, @Nullable CommentModerated>> records, int index) {
        CommentModerated event = records.get(index).value();
        return event == null ? Integer.MIN_VALUE : event.revision();
    }

    /** Why a record has no value: the deserialiser's failure (its bytes reach the dead letters), or none at all. */
    private static RuntimeException unreadable(ConsumerRecord<String, ?> record) {
        DeserializationException ex = SerializationUtils.getExceptionFromHeader(
                record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
        return ex != null ? ex : new IllegalArgumentException("A record without a decision");
    }

    private static void logApplied(ConsumerRecord<String, ?> record, CommentModerated event) {
        try (var id = commentId(event);
                var trace = traceId(record)) {
            log.info(
                    "Comment {} of article {} is now {} (revision {})",
                    event.commentId(),
                    event.articleId(),
                    CommentStatus.of(event.outcome()),
                    event.revision());
        }
    }

    private static void logIgnored(ConsumerRecord<String, ?> record, CommentModerated event) {
        try (var id = commentId(event);
                var trace = traceId(record)) {
            log.info(
                    "Comment {}: ignored stale or repeated decision (revision {})",
                    event.commentId(),
                    event.revision());
        }
    }

    /** The comment id in the MDC of a log line, as {@link CommentIdLogging} does for a record listener. */
    private static MDC.MDCCloseable commentId(CommentModerated event) {
        String id = CommentIdLogging.loggable(event.commentId());
        return MDC.putCloseable(CommentIdLogging.MDC_KEY, id == null ? "" : id);
    }

    /**
     * The trace of the record's {@code traceparent} header in the MDC of a log line: spring-kafka observes no batch
     * listener, so no span of the listener puts it there, and a comment's lines are still found by its trace id.
     */
    private static MDC.MDCCloseable traceId(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(TRACEPARENT);
        Matcher parent = header == null || header.value() == null
                ? null
                : TRACE_CONTEXT.matcher(new String(header.value(), StandardCharsets.US_ASCII));
        return MDC.putCloseable(TRACE_ID, parent != null && parent.matches() ? parent.group(1) : "");
    }

    /** The first record of the poll that failed, and why. */
    private record Failure(int index, RuntimeException cause) {

        static Failure first(@Nullable Failure known, int index, RuntimeException cause) {
            return known != null && known.index() <= index ? known : new Failure(index, cause);
        }
    }
}
