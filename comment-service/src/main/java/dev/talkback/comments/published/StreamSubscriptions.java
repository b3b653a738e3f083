package dev.talkback.comments.published;

import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ApiProblem;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The open live streams of this instance, counted overall and per client address: each holds a connection, a
 * subscription to the live changes and a buffer, so neither one client nor a crowd of them may open them without end
 * ({@code comments.stream-limits.max-per-address}, {@code .max-streams}).
 */
@Component
class StreamSubscriptions {

    private final int maxPerAddress;
    private final int maxStreams;
    private final CommentsProperties properties;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    StreamSubscriptions(CommentsProperties properties) {
        this.maxPerAddress = properties.streamLimits().maxPerAddress();
        this.maxStreams = properties.streamLimits().maxStreams();
        this.properties = properties;
    }

    /**
     * Admits one more stream of the client.
     *
     * @return what ends it: releases its place (once, however often it is run)
     * @throws ApiProblem {@code 429} with {@code Retry-After} beyond either cap
     */
    Runnable admit(@Nullable String client) {
        String key = client == null ? "unknown" : client;
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw tooMany("This server has too many live streams open.");
        }
        boolean[] admitted = {false};
        perAddress.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            throw tooMany("Too many live streams are open from your address.");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                perAddress.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
                open.decrementAndGet();
            }
        };
    }

    /** Streams open now. */
    int open() {
        return open.get();
    }

    private ApiProblem tooMany(String detail) {
        return new ApiProblem(
                HttpStatus.TOO_MANY_REQUESTS, detail + " Try again later.", List.of(), properties.retryAfter());
    }
}
