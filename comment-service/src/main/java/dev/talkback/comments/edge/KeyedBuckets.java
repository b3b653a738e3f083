package dev.talkback.comments.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.talkback.comments.CommentsProperties.RateLimits.Limit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One token bucket per key (a client address, an e-mail address, an article), in a bounded Caffeine cache. A bucket
 * unused for its period has refilled completely, so forgetting it then loses nothing; the size bound keeps a client
 * that rotates addresses from growing memory (it can at worst make other buckets start over full).
 */
final class KeyedBuckets {

    private final Limit limit;
    private final Cache<String, Bucket> buckets;

    KeyedBuckets(Limit limit, int maxKeys) {
        this.limit = limit;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(limit.period())
                .maximumSize(maxKeys)
                .build();
    }

    /** Takes one token for the key: {@code null} when there was one, else how long until there is. */
    @Nullable
    Duration take(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /** Buckets kept now (after pending evictions). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(limit.capacity())
                        .refillGreedy(limit.capacity(), limit.period())
                        .build())
                .build();
    }
}
