package dev.talkback.support.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import reactor.core.publisher.Mono;

/**
 * Health of the Kafka cluster: UP when it answers a describe-cluster request within the timeout.
 *
 * <p>Health is asked for by every probe and every scrape, from several places at once: a check per call (an admin
 * client per call, as before, or a thread of the blocking pool waiting on each) let callers multiply work on the
 * service and the broker. So there is one admin client for the life of the service, at most one check in flight
 * whatever the number of callers (they share its answer), and its answer, UP or DOWN, is reused for
 * {@link #REFRESH}. Nothing blocks: the check waits on the admin client's future.
 */
public final class KafkaClusterHealth implements ReactiveHealthIndicator, DisposableBean {

    /** How long an answer is reused: a probe every few seconds still sees an outage within one period. */
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private final Supplier<Admin> adminFactory;
    private final Duration timeout;
    private final Mono<Health> health;
    private final AtomicLong checks = new AtomicLong();
    private @Nullable Admin admin;
    private boolean closed;

    /**
     * @param clientId the admin client's id, as the broker's logs show it (e.g. {@code comment-service-health})
     * @param timeout how long the cluster has to answer before the check says DOWN
     */
    public KafkaClusterHealth(KafkaAdmin kafkaAdmin, String clientId, Duration timeout) {
        this(() -> Admin.create(adminConfig(kafkaAdmin, clientId, timeout)), timeout, REFRESH);
    }

    KafkaClusterHealth(Supplier<Admin> adminFactory, Duration timeout, Duration refresh) {
        this.adminFactory = adminFactory;
        this.timeout = timeout;
        // cache(): subscribers that arrive while a check runs share it; its answer is replayed for `refresh`
        this.health = Mono.defer(this::check).cache(answer -> refresh, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    @Override
    public Mono<Health> health() {
        return health;
    }

    /** How many checks have reached the cluster since start-up (for tests). */
    public long checks() {
        return checks.get();
    }

    private Mono<Health> check() {
        checks.incrementAndGet();
        int millis = (int) timeout.toMillis();
        return Mono.fromCallable(() -> admin().describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                        .nodes())
                .flatMap(nodes -> Mono.fromCompletionStage(nodes.toCompletionStage()))
                .map(nodes -> Health.up().withDetail("nodes", nodes.size()).build())
                // the admin client fails the request after `timeout`; this only bounds a client that would not
                .timeout(timeout.plusSeconds(1))
                .onErrorResume(error -> Mono.just(Health.down(error).build()));
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("The Kafka health check is closed");
        }
        if (admin == null) {
            admin = adminFactory.get();
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }

    private static Map<String, Object> adminConfig(KafkaAdmin kafkaAdmin, String clientId, Duration timeout) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        int millis = (int) timeout.toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }
}
