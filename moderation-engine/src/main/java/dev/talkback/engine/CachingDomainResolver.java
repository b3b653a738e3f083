package dev.talkback.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts a timeout and a cache in front of a resolver. An answer is kept for {@code ttl}; UNAVAILABLE is kept only for
 * {@code failureTtl}, so that a DNS outage is retried soon but does not slow every comment meanwhile.
 */
public final class CachingDomainResolver implements DomainResolver {

    private record Entry(Status status, Instant expires) {}

    private final DomainResolver delegate;
    private final Duration timeout;
    private final Duration ttl;
    private final Duration failureTtl;
    private final Executor executor;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final int maxEntries;

    public CachingDomainResolver(
            DomainResolver delegate,
            Duration timeout,
            Duration ttl,
            Duration failureTtl,
            Executor executor,
            Clock clock,
            int maxEntries) {
        this.delegate = delegate;
        this.timeout = timeout;
        this.ttl = ttl;
        this.failureTtl = failureTtl;
        this.executor = executor;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    @Override
    public Status lookup(String domain) {
        Instant now = clock.instant();
        Entry cached = cache.get(domain);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.status();
        }
        Status status;
        try {
            status = CompletableFuture.supplyAsync(() -> delegate.lookup(domain), executor)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            status = Status.UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = Status.UNAVAILABLE;
        }
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
        cache.put(domain, new Entry(status, now.plus(status == Status.UNAVAILABLE ? failureTtl : ttl)));
        return status;
    }
}
