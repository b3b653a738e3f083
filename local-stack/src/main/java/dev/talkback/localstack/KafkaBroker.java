package dev.talkback.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running as its own JVM process from the
 * {@code org.apache.kafka:kafka_2.13} jars on {@code classpath}.
 *
 * <p>Everything lives in {@code directory}: {@code server.properties} (rewritten on each start), {@code cluster.id},
 * {@code data/} (the log dir, formatted once and then reused, so topics and records survive a restart) and the
 * process logs {@code format.log} and {@code kafka.log}.
 */
public final class KafkaBroker implements AutoCloseable {

    private final ServiceProcess process;
    private final String bootstrapServers;

    private KafkaBroker(ServiceProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Settings of one broker; {@code jvmArgs} e.g. {@code -Xmx384m}. */
    public record Settings(
            Path directory, String host, int port, int controllerPort, String classpath, List<String> jvmArgs) {}

    /**
     * Writes the configuration, formats the storage if it was never formatted, starts the broker and waits until it
     * answers a describe-cluster request.
     */
    public static KafkaBroker start(Settings settings, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        KafkaBroker broker = launch(settings);
        try {
            broker.awaitReady(timeout);
        } catch (RuntimeException | TimeoutException | InterruptedException ex) {
            broker.close();
            throw ex;
        }
        return broker;
    }

    /**
     * Writes the configuration, formats the storage if it was never formatted and starts the broker process without
     * waiting for it (see {@link #awaitReady(Duration)}).
     */
    public static KafkaBroker launch(Settings settings) throws IOException, InterruptedException {
        Path directory = settings.directory().toAbsolutePath();
        Path logDir = directory.resolve("data");
        Files.createDirectories(logDir);
        Path config = directory.resolve("server.properties");
        Files.writeString(config, serverProperties(settings, logDir), StandardCharsets.UTF_8);

        List<String> jvmArgs = new ArrayList<>(settings.jvmArgs());
        jvmArgs.add("-Dtalkback.log.level=INFO");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(settings, directory, config, jvmArgs);
        }
        ServiceProcess process = ServiceProcess.builder("kafka")
                .mainClass("kafka.Kafka", settings.classpath())
                .jvmArgs(jvmArgs)
                .args(config.toString())
                .logFile(directory.resolve("kafka.log"))
                .start();
        return new KafkaBroker(process, settings.host() + ":" + settings.port());
    }

    /** Waits until the broker answers a describe-cluster request with at least one node. */
    public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                500))) {
            process.awaitReady(() -> answers(admin), timeout);
        }
    }

    private static void format(Settings settings, Path directory, Path config, List<String> jvmArgs)
            throws IOException, InterruptedException {
        Path clusterIdFile = directory.resolve("cluster.id");
        String clusterId;
        if (Files.exists(clusterIdFile)) {
            clusterId = Files.readString(clusterIdFile, StandardCharsets.UTF_8).trim();
        } else {
            clusterId = Uuid.randomUuid().toString();
            Files.writeString(clusterIdFile, clusterId, StandardCharsets.UTF_8);
        }
        ServiceProcess format = ServiceProcess.builder("kafka-storage-format")
                .mainClass("kafka.tools.StorageTool", settings.classpath())
                .jvmArgs(jvmArgs)
                .args("format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted")
                .logFile(directory.resolve("format.log"))
                .start();
        if (!format.process().waitFor(2, TimeUnit.MINUTES)) {
            format.kill();
            throw new IOException("Formatting the Kafka storage took too long; see " + format.logFile());
        }
        if (format.process().exitValue() != 0) {
            throw new IOException("Formatting the Kafka storage failed (exit "
                    + format.process().exitValue() + "):\n" + format.tailOfLog(20));
        }
    }

    static String serverProperties(Settings settings, Path logDir) {
        String host = settings.host();
        return String.join(
                "\n",
                "# Written by the Talkback local stack on every start; edits are overwritten.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + settings.controllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + settings.port() + ",CONTROLLER://" + host + ":"
                        + settings.controllerPort(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + settings.port(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir.toString().replace('\\', '/'),
                "num.partitions=6",
                "default.replication.factor=1",
                // The services declare their topics; auto-creation only spares a start-up race between them.
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=6",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                // the compaction of __consumer_offsets allocates this on the heap (128 MB by default, half of the
                // broker's heap here); 8 MB maps some 300,000 keys, far more than a local stack commits
                "log.cleaner.dedupe.buffer.size=8388608",
                "");
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker process. */
    public ServiceProcess process() {
        return process;
    }

    /**
     * Stops the broker with SIGTERM (a controlled shutdown), killing it if it takes longer than {@code grace}.
     *
     * @return true if it stopped by itself
     */
    public boolean stop(Duration grace) {
        return process.stop(grace);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
