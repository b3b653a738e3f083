package dev.talkback.support.kafka;

import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Puts the comment id of the record being handled (its key) into the MDC as {@code commentId}, so every log line a
 * listener writes about it can be found with the comment id; the trace id comes from the record's
 * {@code traceparent} header through the listener observation. Boot's listener container factory picks it up when a
 * service declares it as a bean.
 */
public class CommentIdLogging implements RecordInterceptor<Object, Object> {

    /** The MDC key of the comment id, also shown by {@code logging.pattern.correlation}. */
    public static final String MDC_KEY = "commentId";

    // keys come from the wire: only an id-like key enters the logs (no line breaks, no unbounded text)
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** The id if it is safe to log, {@code null} otherwise. */
    public static @Nullable String loggable(@Nullable Object id) {
        return id instanceof String text && SAFE.matcher(text).matches() ? text : null;
    }

    @Override
    public @Nullable ConsumerRecord<Object, Object> intercept(
            ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        String id = loggable(record.key());
        if (id == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, id);
        }
        return record;
    }

    @Override
    public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        MDC.remove(MDC_KEY);
    }
}
