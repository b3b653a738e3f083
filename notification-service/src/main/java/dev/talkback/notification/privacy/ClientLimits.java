package dev.talkback.notification.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.web.ClientAddressResolver;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Privacy requests per client address ({@code notification.privacy.per-client}, 5 per hour by default), counted
 * before the body is read: each request can make the site send a mail, so one client must not be able to make it
 * mail many addresses. Token buckets of Bucket4j in a bounded Caffeine cache, as comment-service's limits
 * (docs/decisions/0016): a bucket unused for its period has refilled, so forgetting it loses nothing, and the size
 * bound ({@code notification.privacy.max-clients}) keeps a client that rotates addresses from growing memory.
 * Per instance: behind N instances a client may reach N times the limit.
 */
@Component
class ClientLimits {

    /** Requests whose connection has no address (none over TCP) share one bucket rather than escaping the limit. */
    private static final String UNKNOWN = "unknown";

    private final ClientAddressResolver clients;
    private final NotificationProperties.ClientLimit limit;
    private final Cache<String, Bucket> buckets;

    ClientLimits(NotificationProperties properties) {
        this.clients = properties.privacy().clientIp().resolver();
        this.limit = properties.privacy().perClient();
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(limit.period())
                .maximumSize(properties.privacy().maxClients())
                .build();
    }

    /** Takes one request of the client's: {@code null} when it had one left, else how long until it has. */
    @Nullable
    Duration take(ServerHttpRequest request) {
        String client = clients.resolve(request);
        ConsumptionProbe probe = buckets.get(client == null ? UNKNOWN : client, key -> newBucket())
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(probe.getNanosToWaitForRefill());
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
