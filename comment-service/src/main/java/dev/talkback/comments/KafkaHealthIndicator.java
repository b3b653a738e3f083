package dev.talkback.comments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/** Health {@code kafka}: UP when the cluster answers a describe-cluster request within {@code comments.kafka-health-timeout}. */
@Component("kafka")
class KafkaHealthIndicator extends AbstractHealthIndicator {

    private final Map<String, Object> adminConfig;
    private final long timeoutMillis;

    KafkaHealthIndicator(KafkaAdmin kafkaAdmin, CommentsProperties properties) {
        super("Kafka health check failed");
        this.timeoutMillis = properties.kafkaHealthTimeout().toMillis();
        Map<String, Object> config = new LinkedHashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "comment-service-health");
        this.adminConfig = config;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        // a client per check: a long-lived one would keep reconnecting (and logging) while Kafka is down
        try (AdminClient admin = AdminClient.create(adminConfig)) {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis));
            String clusterId = cluster.clusterId().get(timeoutMillis, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(timeoutMillis, TimeUnit.MILLISECONDS).size();
            builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
        }
    }
}
