package dev.talkback.systemtests;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.talkback.localstack.KafkaBroker;
import dev.talkback.localstack.MongoStore;
import dev.talkback.localstack.ServiceProcess;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole system on infrastructure that can be broken on purpose: a real Kafka broker in its own process (stopped
 * and started on the same port and data directory), MongoDB (mongo-java-server on an H2 file, stopped and started on
 * the same port with its data), an SMTP server (GreenMail, stopped and started on the same port), one comment-service,
 * two moderation-service instances in one consumer group and one notification-service, each in its own JVM.
 *
 * <p>Unlike {@link RunningSystem} it is not shared with the other system tests: the faults would disturb them.
 */
final class FaultySystem implements AutoCloseable {

    static final String HOST = "localhost";
    private static final Duration READY = Duration.ofMinutes(3);
    private static final Duration GRACE = Duration.ofSeconds(40);

    private final Path directory;
    private final KafkaBroker.Settings kafkaSettings;
    private final Path mongoFile;
    private final int mongoPort;
    private final int smtpPort;
    private final List<Service> services = new ArrayList<>();
    /**
     * Every mail the SMTP server received across its restarts, by Message-ID, with its recipient. The Message-ID is
     * the delivery's: a mail the server stored while stopping, without its 250 reaching the sender, is sent again with
     * the same id (as a mail store would, the copy counts once); two deliveries of one notification have two ids.
     */
    private final Map<String, String> mails = new LinkedHashMap<>();

    private KafkaBroker kafka;
    private MongoStore mongo;
    private GreenMail smtp;
    private MongoClient mongoClient;

    final Service comments;
    final Service moderation1;
    final Service moderation2;
    final Service notifications;

    FaultySystem() throws Exception {
        directory = Path.of(requiredProperty("system-tests.work-dir"), "run-" + System.currentTimeMillis());
        Files.createDirectories(directory);
        String classpath = Files.readString(
                        Path.of(requiredProperty("system-tests.broker-classpath-file")), StandardCharsets.UTF_8)
                .trim();
        kafkaSettings = new KafkaBroker.Settings(
                directory.resolve("kafka"),
                HOST,
                freePort(),
                freePort(),
                classpath,
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
        mongoFile = directory.resolve("mongo").resolve("talkback.mv.db");
        mongoPort = freePort();
        smtpPort = freePort();

        String brokers = HOST + ":" + kafkaSettings.port();
        String mongoUri = "mongodb://" + HOST + ":" + mongoPort + "/";
        // a killed instance's partitions move after the session timeout: keep it short (the broker allows 6s+)
        List<String> fastGroup = List.of(
                "--spring.kafka.consumer.properties.session.timeout.ms=8000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=2000");
        comments = new Service(
                "comment-service",
                List.of(
                        "--spring.kafka.bootstrap-servers=" + brokers,
                        "--spring.mongodb.uri=" + mongoUri + "comments",
                        "--comments.status-token-secret=fault-injection-secret",
                        // the tests post and read far more from 127.0.0.1 than a reader may: lift the edge's rate
                        // limits
                        "--comments.rate-limits.per-address.capacity=1000000",
                        "--comments.rate-limits.per-address.period=1s",
                        "--comments.rate-limits.per-email.capacity=1000000",
                        "--comments.rate-limits.per-email.period=1s",
                        "--comments.rate-limits.per-article.capacity=1000000",
                        "--comments.rate-limits.per-article.period=1s",
                        "--comments.rate-limits.reads.capacity=1000000",
                        "--comments.rate-limits.reads.period=1s",
                        "--comments.stream-limits.max-per-address=10000",
                        // each streamed comment comes from its own address, so the flood rule per IP stays out of the
                        // way
                        "--comments.client-ip.header=X-Forwarded-For",
                        "--comments.client-ip.trusted-proxies=127.0.0.1,::1"),
                fastGroup);
        List<String> moderationArgs = List.of(
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.mongodb.uri=" + mongoUri + "moderation",
                "--moderation.dns.enabled=false",
                // the streamed texts are benign word salads: approve them unless the spam model is all but certain
                "--moderation.spam.approve-below=0.9999",
                "--moderation.spam.reject-from=1.0");
        moderation1 = new Service("moderation-service-1", moderationArgs, fastGroup);
        moderation2 = new Service("moderation-service-2", moderationArgs, fastGroup);
        notifications = new Service(
                "notification-service",
                List.of(
                        "--spring.kafka.bootstrap-servers=" + brokers,
                        "--spring.mongodb.uri=" + mongoUri + "notification",
                        "--spring.mail.host=" + HOST,
                        "--spring.mail.port=" + smtpPort,
                        "--notification.site.comment-url=http://news.example/articles/{articleId}#comment-{commentId}",
                        "--notification.outbox.poll-interval=300ms",
                        "--notification.outbox.batch-size=100",
                        // a restarted instance takes over the mails leased by the one it replaces after this long
                        "--notification.outbox.lease=15s",
                        "--notification.mail.retry.initial-backoff=1s",
                        "--notification.mail.retry.max-backoff=4s"),
                fastGroup);
        services.addAll(List.of(comments, moderation1, moderation2, notifications));

        try {
            startMongo();
            startSmtp();
            kafka = KafkaBroker.start(kafkaSettings, READY);
            mongoClient = MongoClients.create(
                    "mongodb://" + HOST + ":" + mongoPort + "/?serverSelectionTimeoutMS=30000&connectTimeoutMS=2000");
            // comment-service and moderation-service first (they declare the topics), the others in parallel
            parallel(services.stream().<Runnable>map(service -> service::start).toList());
        } catch (Exception ex) {
            close();
            throw ex;
        }
    }

    // ---- infrastructure ---------------------------------------------------------------------------------------

    void stopKafka() {
        kafka.stop(Duration.ofSeconds(30));
    }

    void startKafka() throws Exception {
        kafka = KafkaBroker.start(kafkaSettings, READY);
    }

    String bootstrapServers() {
        return HOST + ":" + kafkaSettings.port();
    }

    void stopMongo() {
        mongo.close();
        mongo = null;
    }

    void startMongo() throws IOException {
        mongo = MongoStore.start(mongoFile, HOST, mongoPort);
    }

    MongoClient mongo() {
        return mongoClient;
    }

    synchronized void stopSmtp() {
        // GreenMail's stop() replaces its store: the mails are read from the old one after the server stopped, so a
        // mail it accepted while stopping (the sender got its 250) is counted too
        Managers received = smtp.getManagers();
        smtp.stop();
        smtp = null;
        harvest(received.getImapHostManager().getAllMessages().stream()
                .map(StoredMessage::getMimeMessage)
                .toList());
    }

    synchronized void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, HOST, ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    /** Recipients of every mail received so far, one entry per mail (also those received before an SMTP restart). */
    synchronized List<String> mailRecipients() {
        harvestMails();
        return List.copyOf(mails.values());
    }

    private void harvestMails() {
        if (smtp != null) {
            harvest(List.of(smtp.getReceivedMessages()));
        }
    }

    private void harvest(List<MimeMessage> received) {
        for (MimeMessage message : received) {
            try {
                String id = message.getMessageID();
                String key = id != null ? id : "identity-" + System.identityHashCode(message);
                if (!mails.containsKey(key)) {
                    mails.put(key, message.getRecipients(Message.RecipientType.TO)[0].toString());
                }
            } catch (MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    // ---- the services -----------------------------------------------------------------------------------------

    List<Service> services() {
        return List.copyOf(services);
    }

    /** One service instance, started from its exec jar; each start writes a new log file. */
    final class Service {

        final String name;
        final int port;
        final URI base;
        /** The actuator's port (probes, metrics): nothing under /actuator on {@link #port}. */
        final int managementPort;

        private final List<String> args;
        private final AtomicInteger starts = new AtomicInteger();
        private volatile ServiceProcess process;

        Service(String name, List<String> args, List<String> moreArgs) {
            this.name = name;
            this.port = freePort();
            this.base = URI.create("http://" + HOST + ":" + port);
            this.managementPort = freePort();
            this.args = new ArrayList<>(args);
            this.args.addAll(moreArgs);
        }

        /** Starts the instance and waits until it is ready. */
        void start() {
            String jarName = name.replaceAll("-\\d+$", "");
            try {
                process = ServiceProcess.builder(name)
                        .bootJar(Path.of(requiredProperty(jarName + ".jar")))
                        .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                        .args(
                                "--server.port=" + port,
                                "--spring.profiles.active=local",
                                "--management.server.port=" + managementPort)
                        .args(args)
                        .environment(RunningSystem.MODERATOR_SIGNING_KEY_VARIABLE, RunningSystem.MODERATOR_SIGNING_KEY)
                        .environment(RunningSystem.SERVICE_SECRETS)
                        .logFile(Path.of(
                                requiredProperty("system-tests.logs"),
                                "fault-injection",
                                name + "-" + starts.incrementAndGet() + ".log"))
                        .start();
                process.awaitHttpReady(
                        URI.create("http://" + HOST + ":" + managementPort + "/actuator/health/readiness"), READY);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            } catch (TimeoutException | InterruptedException ex) {
                throw new IllegalStateException(name + " did not start: " + ex.getMessage(), ex);
            }
        }

        /** SIGTERM and wait for the graceful shutdown; true if it stopped by itself within the grace period. */
        boolean stop() {
            return process == null || process.stop(GRACE);
        }

        /** SIGKILL: no shutdown hooks, nothing flushed, nothing committed. */
        void kill() {
            process.kill();
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        String log() {
            return process == null ? "" : process.tailOfLog(80);
        }
    }

    static void parallel(List<Runnable> tasks) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> futures =
                    tasks.stream().<Future<?>>map(executor::submit).toList();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        for (Service service : services) {
            try {
                service.stop();
            } catch (RuntimeException ex) {
                // keep stopping the others
            }
        }
        if (mongoClient != null) {
            mongoClient.close();
        }
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (mongo != null) {
            mongo.close();
        }
    }

    static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + key + " is not set: run the system tests with Maven");
        }
        return value;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
