package dev.talkback.notification.delivery;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Carries a trace across the outbox: the delivery is recorded on the Kafka listener thread, inside the trace of
 * the moderated comment, but sent later by the {@link Dispatcher} on its own thread. The W3C {@code traceparent} of
 * the recording is stored with the delivery, and the send runs in a child span of it, so the mail's log lines carry
 * the comment's trace id.
 */
@Component
class TraceCarrier {

    private static final String TRACEPARENT = "traceparent";

    private final @Nullable Tracer tracer;
    private final @Nullable Propagator propagator;

    @Autowired
    TraceCarrier(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this(tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    private TraceCarrier(@Nullable Tracer tracer, @Nullable Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** No tracing: nothing is stored, nothing restored. */
    static TraceCarrier none() {
        return new TraceCarrier((Tracer) null, (Propagator) null);
    }

    /** The {@code traceparent} of the current span, or {@code null} outside a trace. */
    @Nullable
    String current() {
        Span span = tracer == null ? null : tracer.currentSpan();
        if (span == null || propagator == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** Runs what follows (until {@code close}) in a new span continuing {@code traceparent}, if there is one. */
    Continued continueTrace(@Nullable String traceparent, String name) {
        if (traceparent == null || tracer == null || propagator == null) {
            return () -> {};
        }
        Span span = propagator
                .extract(Map.of(TRACEPARENT, traceparent), Map::get)
                .name(name)
                .start();
        Tracer.SpanInScope scope = tracer.withSpan(span);
        return () -> {
            scope.close();
            span.end();
        };
    }

    /** A continued trace; closing it ends the span. */
    interface Continued extends AutoCloseable {
        @Override
        void close();
    }
}
