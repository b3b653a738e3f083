package dev.talkback.systemtests;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import de.bwaldvogel.mongo.MongoServer;
import dev.talkback.localstack.MongoStore;
import dev.talkback.localstack.ServiceProcess;
import dev.talkback.support.security.LocalTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The whole system as a newsroom would run it, on embedded infrastructure: one Kafka broker (KRaft, in this JVM),
 * one MongoDB-protocol store, one SMTP server, and the three services each in its own JVM, started from the jars the
 * build produced. Started once for all system tests, stopped when the JVM exits.
 */
final class RunningSystem {

    /** Words the moderation-service of the system tests rejects. */
    static final String BANNED_WORD = "casino";

    /** Links the moderation-service of the system tests allows before holding a comment. */
    static final int MAX_LINKS = 2;

    /**
     * The spam model still scores every comment, but only near-certain spam is held by it here, and none rejected: these
     * tests follow comments through the services, and use texts (links, XSS payloads, test markers) whose spam score
     * is not the point. The model's judgement is tested in moderation-engine and moderation-service.
     */
    static final String SPAM_APPROVE_BELOW = "0.999";

    static final String SPAM_REJECT_FROM = "1.0";

    /**
     * The HMAC key moderation-service checks moderator tokens with: random per run (the services refuse a key written
     * in the repository), given to the services through their environment with the {@code local} profile, as the
     * local stack does.
     */
    static final String MODERATOR_SIGNING_KEY = LocalTokens.newKey();

    /** The environment variable (Spring relaxed binding) of {@code moderation.security.local-signing-key}. */
    static final String MODERATOR_SIGNING_KEY_VARIABLE = "MODERATION_SECURITY_LOCALSIGNINGKEY";

    /**
     * The secrets production sets the same on every instance of a service, random per run: the keys of email
     * addresses and notification-service's link secret. Without them each start would use its own random key, and an
     * instance started again (the fault injection) would no longer find what its predecessor stored by address.
     */
    static final Map<String, String> SERVICE_SECRETS = Map.of(
            "MODERATION_PRIVACY_ADDRESSSECRET", LocalTokens.newKey(),
            "NOTIFICATION_PRIVACY_ADDRESSSECRET", LocalTokens.newKey(),
            "NOTIFICATION_LINKS_SECRET", LocalTokens.newKey());

    private static RunningSystem instance;

    final EmbeddedKafkaKraftBroker kafka;
    final MongoServer mongo;
    final GreenMail smtp;
    final URI commentService;
    final URI moderationService;
    final URI notificationService;
    /**
     * The origin of a news site that embeds the widget from comment-service (another origin): comment-service allows it
     * in {@code comments.allowed-origins}; browser tests serve their host pages there.
     */
    final URI embeddingSite;

    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, Integer> managementPorts = new HashMap<>();
    private final String brokers;
    /** host:port of the MongoDB-protocol store every service keeps its database in. */
    final String mongoAddress;

    static synchronized RunningSystem get() {
        if (instance == null) {
            instance = new RunningSystem();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "system-tests-shutdown"));
        }
        return instance;
    }

    private RunningSystem() {
        kafka = new EmbeddedKafkaKraftBroker(1, 6);
        kafka.afterPropertiesSet();
        // with the non-unique indexes the services create, as MongoDB would have them
        mongo = new MongoServer(MongoStore.memoryBackend());
        mongoAddress = "localhost:" + mongo.bind().getPort();
        smtp = new GreenMail(new ServerSetup(freePort(), "localhost", ServerSetup.PROTOCOL_SMTP));
        smtp.start();

        int commentPort = freePort();
        int moderationPort = freePort();
        int notificationPort = freePort();
        commentService = URI.create("http://localhost:" + commentPort);
        embeddingSite = URI.create("http://127.0.0.1:" + freePort());
        moderationService = URI.create("http://localhost:" + moderationPort);
        notificationService = URI.create("http://localhost:" + notificationPort);
        brokers = kafka.getBrokersAsString();
        try {
            start(
                    "comment-service",
                    commentPort,
                    "--spring.kafka.bootstrap-servers=" + brokers,
                    "--spring.mongodb.uri=mongodb://" + mongoAddress + "/comments",
                    "--comments.status-token-secret=system-tests-secret",
                    // the tests post and read far more from 127.0.0.1 than a reader may: lift the edge's rate limits
                    "--comments.rate-limits.per-address.capacity=1000000",
                    "--comments.rate-limits.per-address.period=1s",
                    "--comments.rate-limits.per-email.capacity=1000000",
                    "--comments.rate-limits.per-email.period=1s",
                    "--comments.rate-limits.per-article.capacity=1000000",
                    "--comments.rate-limits.per-article.period=1s",
                    "--comments.rate-limits.reads.capacity=1000000",
                    "--comments.rate-limits.reads.period=1s",
                    "--comments.stream-limits.max-per-address=10000",
                    "--comments.rate-limits.checks.capacity=1000000",
                    "--comments.rate-limits.checks.period=1s",
                    // the "think again" nudge, as in the demo: every post from the widget is checked first
                    "--comments.nudge.enabled=true",
                    "--comments.allowed-origins=" + embeddingSite);
            start("moderation-service", moderationPort, moderationServiceArgs().toArray(String[]::new));
            start(
                    "notification-service",
                    notificationPort,
                    "--spring.kafka.bootstrap-servers=" + brokers,
                    "--spring.mongodb.uri=mongodb://" + mongoAddress + "/notification",
                    "--spring.mail.host=localhost",
                    "--spring.mail.port=" + smtp.getSmtp().getPort(),
                    "--notification.site.comment-url=http://news.example/articles/{articleId}#comment-{commentId}",
                    // the confirmation links in the mails lead to this instance
                    "--notification.links.public-url=" + notificationService);
            for (ServiceProcess service : services) {
                // the actuator is on each service's management port, not on its public one
                URI management = URI.create("http://localhost:" + managementPorts.get(service.name()));
                service.awaitHttpReady(management.resolve("/actuator/health/readiness"), Duration.ofMinutes(3));
            }
        } catch (IOException ex) {
            stop();
            throw new UncheckedIOException(ex);
        } catch (TimeoutException | InterruptedException | RuntimeException ex) {
            stop();
            throw new IllegalStateException("The system did not start: " + ex.getMessage(), ex);
        }
    }

    private void start(String name, int port, String... args) throws IOException {
        int managementPort = freePort();
        managementPorts.put(name, managementPort);
        services.add(ServiceProcess.builder(name)
                .bootJar(Path.of(requiredProperty(name + ".jar")))
                .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
                .args(
                        "--server.port=" + port,
                        "--spring.profiles.active=local",
                        "--management.server.port=" + managementPort)
                .args(args)
                .environment(MODERATOR_SIGNING_KEY_VARIABLE, MODERATOR_SIGNING_KEY)
                .environment(SERVICE_SECRETS)
                .logFile(Path.of(requiredProperty("system-tests.logs"), name + ".log"))
                .start());
    }

    private List<String> moderationServiceArgs() {
        return List.of(
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.mongodb.uri=mongodb://" + mongoAddress + "/moderation",
                "--moderation.banned-words=" + BANNED_WORD,
                "--moderation.max-links=" + MAX_LINKS,
                "--moderation.spam.approve-below=" + SPAM_APPROVE_BELOW,
                "--moderation.spam.reject-from=" + SPAM_REJECT_FROM,
                // every test client posts from 127.0.0.1: an IP flood limit would hold them all
                "--moderation.floods.max-per-ip=1000000",
                // no internet here: unchecked mail domains instead of every comment held as "DNS unavailable"
                "--moderation.dns.enabled=false",
                // the console links each comment to its article page on comment-service
                "--moderation.console.article-url=" + commentService + "/articles/{articleId}");
    }

    /**
     * Another moderation-service on this system's Kafka and store, configured as production is: no {@code local}
     * profile, no local signing key, only {@code args} (e.g. an identity provider's issuer-uri). It takes no records
     * from the topics ({@code spring.kafka.listener.auto-startup=false}): this system's own moderation-service keeps
     * deciding every comment, so the tests that share the system see no rebalance and no second decider; this one
     * serves the console and the API on the same store. Ready when this returns; the caller stops it.
     */
    ServiceProcess startModerationService(String name, int port, String... args)
            throws IOException, TimeoutException, InterruptedException {
        int managementPort = freePort();
        ServiceProcess service = ServiceProcess.builder(name)
                .bootJar(Path.of(requiredProperty("moderation-service.jar")))
                .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1")
                .args(
                        "--server.port=" + port,
                        "--management.server.port=" + managementPort,
                        "--spring.kafka.listener.auto-startup=false")
                .args(moderationServiceArgs())
                .args(args)
                .logFile(Path.of(requiredProperty("system-tests.logs"), name + ".log"))
                .start();
        try {
            service.awaitHttpReady(
                    URI.create("http://localhost:" + managementPort + "/actuator/health/readiness"),
                    Duration.ofMinutes(3));
        } catch (TimeoutException | InterruptedException | RuntimeException ex) {
            service.stop(Duration.ofSeconds(20));
            throw ex;
        }
        return service;
    }

    static String randomKey() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private synchronized void stop() {
        services.forEach(service -> service.stop(Duration.ofSeconds(20)));
        services.clear();
        smtp.stop();
        mongo.shutdownNow();
        kafka.destroy();
    }

    private static String requiredProperty(String key) {
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
