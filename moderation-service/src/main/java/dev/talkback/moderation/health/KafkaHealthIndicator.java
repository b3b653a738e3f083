package dev.talkback.moderation.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Kafka is up when the cluster answers a describe-cluster request within the timeout. Part of the readiness group,
 * so an instance that cannot reach the broker is taken out of service.
 */
final class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private final KafkaAdmin kafkaAdmin;
    private final Duration timeout;
    private volatile @Nullable AdminClient adminClient;

    KafkaHealthIndicator(KafkaAdmin kafkaAdmin, Duration timeout) {
        super("Kafka health check failed");
        this.kafkaAdmin = kafkaAdmin;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        int millis = (int) timeout.toMillis();
        DescribeClusterResult cluster = adminClient()
                .describeCluster(new DescribeClusterOptions().timeoutMs(millis));
        String clusterId = cluster.clusterId().get(millis, TimeUnit.MILLISECONDS);
        int nodes = cluster.nodes().get(millis, TimeUnit.MILLISECONDS).size();
        builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
    }

    private AdminClient adminClient() {
        AdminClient client = adminClient;
        if (client == null) {
            synchronized (this) {
                client = adminClient;
                if (client == null) {
                    var config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
                    int millis = (int) timeout.toMillis();
                    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
                    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
                    client = AdminClient.create(config);
                    adminClient = client;
                }
            }
        }
        return client;
    }

    @Override
    public void destroy() {
        AdminClient client = adminClient;
        if (client != null) {
            client.close(Duration.ofSeconds(1));
        }
    }
}
