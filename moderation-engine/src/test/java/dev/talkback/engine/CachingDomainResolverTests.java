package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingDomainResolverTests {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final MutableClock clock = new MutableClock();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        executor.shutdownNow();
    }

    @Test
    void cachesAnswersForTheirTtl() {
        AtomicInteger calls = new AtomicInteger();
        CachingDomainResolver resolver = resolver(domain -> {
            calls.incrementAndGet();
            return DomainResolver.Status.RESOLVES;
        });
        assertThat(resolver.lookup("example.org")).isEqualTo(DomainResolver.Status.RESOLVES);
        assertThat(resolver.lookup("example.org")).isEqualTo(DomainResolver.Status.RESOLVES);
        assertThat(calls).hasValue(1);
        clock.now = clock.now.plus(Duration.ofHours(2));
        resolver.lookup("example.org");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aSlowResolverTimesOutAsUnavailableAndIsRetriedSoon() {
        AtomicInteger calls = new AtomicInteger();
        CachingDomainResolver resolver = resolver(domain -> {
            calls.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DomainResolver.Status.RESOLVES;
        });
        assertThat(resolver.lookup("slow.example")).isEqualTo(DomainResolver.Status.UNAVAILABLE);
        assertThat(resolver.lookup("slow.example")).isEqualTo(DomainResolver.Status.UNAVAILABLE);
        assertThat(calls).hasValue(1);
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        resolver.lookup("slow.example");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFailingResolverIsUnavailable() {
        CachingDomainResolver resolver = resolver(domain -> {
            throw new IllegalStateException("no network");
        });
        assertThat(resolver.lookup("example.org")).isEqualTo(DomainResolver.Status.UNAVAILABLE);
    }

    private CachingDomainResolver resolver(DomainResolver delegate) {
        return new CachingDomainResolver(
                delegate, Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMinutes(1), executor, clock, 10_000);
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
