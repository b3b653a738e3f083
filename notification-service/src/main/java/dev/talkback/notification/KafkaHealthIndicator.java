package dev.talkback.notification;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code kafka}: UP when the cluster answers a describe-cluster request within
 * {@code notification.health-timeout}. Part of the readiness group, so an instance without a broker takes
 * no traffic.
 */
@Component("kafkaHealthIndicator")
class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private final KafkaAdmin kafkaAdmin;
    private final Duration timeout;
    private @Nullable Admin admin;

    KafkaHealthIndicator(KafkaAdmin kafkaAdmin, NotificationProperties properties) {
        super("Kafka health check failed");
        this.kafkaAdmin = kafkaAdmin;
        this.timeout = properties.healthTimeout();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        int timeoutMs = (int) timeout.toMillis();
        DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
        String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
        int nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
        builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
