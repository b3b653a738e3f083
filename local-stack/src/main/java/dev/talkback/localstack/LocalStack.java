package dev.talkback.localstack;

import dev.talkback.support.security.LocalTokens;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

/**
 * The whole Talkback system on this machine, with embedded infrastructure: a Kafka broker (own process) on 9092,
 * MongoDB (mongo-java-server, H2 file) on 27017, GreenMail SMTP on 3025 with a JSON mail API on 8025, and the three
 * services (own processes) on 8080–8082. Ctrl-C stops everything: services first, then Kafka, then MongoDB and mail.
 *
 * <p>Settings, each a system property or an environment variable:
 * <ul>
 * <li>{@code talkback.data} / {@code TALKBACK_DATA}: the data folder, default {@code .talkback} in the working
 * directory. Delete it to start from scratch.</li>
 * <li>{@code talkback.services} / {@code TALKBACK_SERVICES}: {@code all} (default), {@code none} (infrastructure
 * only) or a comma-separated list such as {@code comment-service,moderation-service}.</li>
 * <li>{@code talkback.services.dir} / {@code TALKBACK_SERVICES_DIR}: where the {@code <service>-*-exec.jar} files are;
 * without it, {@code <service>/target/} below the working directory.</li>
 * <li>{@code talkback.service.heap} / {@code TALKBACK_SERVICE_HEAP}: {@code -Xmx} of each service, default
 * {@code 144m} (their live data is 30–50 MB; the serial collector lets the resident size grow to the whole heap, and the
 * whole stack must fit in 2 GiB: with 192m it peaked at 2,050–2,076 MiB in {@code bench/run-all.sh}).</li>
 * <li>{@code talkback.rate-limits} / {@code TALKBACK_RATE_LIMITS}: {@code site} (default: comment-service's own limits
 * per client address, e-mail address and article, as a site has them) or {@code lifted} (for benchmarks, which post
 * hundreds of comments a second from this one address).</li>
 * <li>{@code talkback.args.<service>}: extra command-line arguments for one service, separated by spaces.</li>
 * </ul>
 *
 * <p>For the moderator API it writes {@code tokens/moderator.jwt} and {@code tokens/admin.jwt} to the data folder, for
 * notification-service's admin API {@code tokens/notification-admin.jwt}: valid 8 hours, signed at every start with a
 * new key per service, each token naming its service as audience. The services run with the {@code local} profile
 * (the only one in which they accept a local signing key); the keys and the other secrets reach them through the
 * environment, not the command line (which {@code ps} shows to every user of the machine).
 */
public final class LocalStack {

    static final String HOST = "localhost";
    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int MONGO_PORT = 27017;
    static final int SMTP_PORT = 3025;
    static final int MAIL_API_PORT = 8025;
    static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** How long the tokens written at start are valid: a working day, not a month. */
    static final Duration TOKEN_VALIDITY = Duration.ofHours(8);

    /** The services, in start order, with their port, management port (actuator) and MongoDB database. */
    enum Service {
        COMMENT("comment-service", 8080, 9080, "comments"),
        MODERATION("moderation-service", 8081, 9081, "moderation"),
        NOTIFICATION("notification-service", 8082, 9082, "notification");

        final String module;
        final int port;
        final int managementPort;
        final String database;

        Service(String module, int port, int managementPort, String database) {
            this.module = module;
            this.port = port;
            this.managementPort = managementPort;
            this.database = database;
        }
    }

    private final Path dataDir;
    private final List<AutoCloseable> infrastructure = new CopyOnWriteArrayList<>();
    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    private KafkaBroker kafka;
    private volatile boolean stopping;

    LocalStack(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static void main(String[] args) throws Exception {
        LocalStack stack =
                new LocalStack(Path.of(setting("talkback.data", "TALKBACK_DATA").orElse(".talkback")));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (Exception ex) {
            say("FAILED: " + ex.getMessage());
            System.exit(1);
        }
        new CountDownLatch(1).await(); // until Ctrl-C; the shutdown hook does the rest
    }

    void start() throws IOException, InterruptedException, TimeoutException {
        long started = System.nanoTime();
        Set<Service> wanted = wantedServices();
        checkPortsFree(wanted);
        Files.createDirectories(dataDir);
        say("Data folder: " + dataDir);

        say("Starting MongoDB (mongo-java-server, H2 file) on " + HOST + ":" + MONGO_PORT + " ...");
        synchronized (this) {
            failIfStopping();
            infrastructure.add(MongoStore.start(dataDir.resolve("mongo").resolve("talkback.mv.db"), HOST, MONGO_PORT));
        }

        say("Starting GreenMail SMTP on " + SMTP_PORT + " and the mail API on " + MAIL_API_PORT + " ...");
        synchronized (this) {
            failIfStopping();
            infrastructure.add(MailCatcher.start(HOST, SMTP_PORT, MAIL_API_PORT));
        }

        say("Starting Kafka (KRaft, own JVM) on " + HOST + ":" + KAFKA_PORT + " ...");
        KafkaBroker.Settings kafkaSettings = new KafkaBroker.Settings(
                dataDir.resolve("kafka"),
                HOST,
                KAFKA_PORT,
                KAFKA_CONTROLLER_PORT,
                System.getProperty("java.class.path"),
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"));
        synchronized (this) {
            failIfStopping();
            kafka = KafkaBroker.launch(kafkaSettings);
        }
        kafka.awaitReady(READY_TIMEOUT);
        say("Kafka is ready.");

        List<Service> launched = startServices(wanted);
        for (Service service : launched) {
            ServiceProcess process = find(service);
            process.awaitHttpReady(
                    URI.create("http://" + HOST + ":" + service.managementPort + "/actuator/health/readiness"),
                    READY_TIMEOUT);
            say(service.module + " is ready.");
            process.process().onExit().thenAccept(exited -> {
                if (!stopping) {
                    say(service.module + " exited unexpectedly (code " + exited.exitValue() + "); see "
                            + process.logFile());
                }
            });
        }
        printTable(launched, Duration.ofNanos(System.nanoTime() - started));
    }

    private List<Service> startServices(Set<Service> wanted) throws IOException {
        List<Service> launched = new ArrayList<>();
        if (wanted.isEmpty()) {
            say("Services: none requested (talkback.services=none); infrastructure only.");
            return launched;
        }
        String secret = statusTokenSecret();
        LocalKeys keys = localTokens();
        String heap = setting("talkback.service.heap", "TALKBACK_SERVICE_HEAP").orElse("144m");
        for (Service service : wanted) {
            Optional<Path> jar = findJar(service);
            if (jar.isEmpty()) {
                say("SKIPPING " + service.module + ": no " + service.module + "-*-exec.jar found in "
                        + jarFolder(service) + " (build it with ./mvnw -Plocal-stack package -DskipTests)");
                continue;
            }
            // secrets go through the environment (Spring's relaxed binding), never the command line
            Map<String, String> environment = new LinkedHashMap<>();
            List<String> args = new ArrayList<>(List.of(
                    "--spring.profiles.active=local",
                    "--server.port=" + service.port,
                    "--management.server.port=" + service.managementPort,
                    "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--spring.mongodb.uri=mongodb://" + HOST + ":" + MONGO_PORT + "/" + service.database));
            switch (service) {
                case COMMENT -> {
                    environment.put("COMMENTS_STATUSTOKENSECRET", secret);
                    // the demo shows the widget's "think again" prompt; a site turns it on itself
                    args.add("--comments.nudge.enabled=true");
                    if (ratesLifted()) {
                        // a benchmark posts 100-250 comments/s, all from 127.0.0.1: lift the edge's rate limits (per
                        // address, e-mail address, article) and the streams per address; by default the local stack
                        // keeps a site's limits, so that it can be tried as an attacker would try a site
                        for (String limit : List.of("per-address", "per-email", "per-article", "reads", "checks")) {
                            args.add("--comments.rate-limits." + limit + ".capacity=1000000");
                            args.add("--comments.rate-limits." + limit + ".period=1s");
                        }
                        args.add("--comments.stream-limits.max-per-address=10000");
                    }
                }
                // A short demonstration list, so that a rejection can be tried at once; a site sets its own.
                case MODERATION -> {
                    args.add("--moderation.banned-words=casino,viagra");
                    // the local stack may run offline: do not hold every comment because DNS cannot be asked
                    args.add("--moderation.dns.enabled=false");
                    // every client of a local stack is 127.0.0.1: an IP flood limit would hold them all
                    args.add("--moderation.floods.max-per-ip=1000000");
                    // the key the launcher signed the moderator and admin tokens with at this start
                    environment.put("MODERATION_SECURITY_LOCALSIGNINGKEY", keys.moderation());
                    // lookups by email address (floods, author history) must match across restarts
                    environment.put(
                            "MODERATION_PRIVACY_ADDRESSSECRET",
                            secretFile(dataDir.resolve("moderation-address-secret")));
                    // the console links each comment to its article page on comment-service
                    args.add("--moderation.console.article-url=http://" + HOST + ":" + Service.COMMENT.port
                            + "/articles/{articleId}");
                }
                case NOTIFICATION -> {
                    args.add("--spring.mail.host=" + HOST);
                    args.add("--spring.mail.port=" + SMTP_PORT);
                    // confirmation and unsubscribe links must stay valid across restarts
                    environment.put(
                            "NOTIFICATION_LINKS_SECRET", secretFile(dataDir.resolve("notification-link-secret")));
                    // and so must the keys of the addresses that confirmed or unsubscribed
                    environment.put(
                            "NOTIFICATION_PRIVACY_ADDRESSSECRET",
                            secretFile(dataDir.resolve("notification-address-secret")));
                    args.add("--notification.digest.moderators=moderators@localhost");
                    // its own key: a moderation token opens nothing here
                    environment.put("NOTIFICATION_SECURITY_LOCALSIGNINGKEY", keys.notification());
                }
                default -> {}
            }
            setting("talkback.args." + service.module, null)
                    .ifPresent(extra -> args.addAll(Arrays.asList(extra.trim().split("\\s+"))));
            say("Starting " + service.module + " on " + service.port + " ("
                    + jar.get().getFileName() + ") ...");
            synchronized (this) {
                failIfStopping();
                services.add(ServiceProcess.builder(service.module)
                        .bootJar(jar.get())
                        // a small young generation: the services keep little, and an eden of a third of the heap
                        // was ~50 MB of resident memory each for nothing
                        .jvmArgs("-Xmx" + heap, "-Xmn32m", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8")
                        .args(args)
                        .environment(environment)
                        .logFile(logFile(service))
                        .start());
            }
            launched.add(service);
        }
        return launched;
    }

    /** Stops services (SIGTERM, in parallel), then Kafka, then MongoDB and mail. Safe to call more than once. */
    synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (services.isEmpty() && kafka == null && infrastructure.isEmpty()) {
            return;
        }
        say("Stopping ...");
        for (ServiceProcess service : services) {
            if (service.isAlive()) {
                service.process().destroy();
            }
        }
        for (ServiceProcess service : services) {
            boolean clean = service.stop(STOP_GRACE);
            say(service.name() + (clean ? " stopped." : " did not stop in time and was killed."));
        }
        if (kafka != null) {
            boolean clean = kafka.stop(STOP_GRACE);
            say("Kafka " + (clean ? "stopped." : "did not stop in time and was killed."));
        }
        for (int i = infrastructure.size() - 1; i >= 0; i--) {
            try {
                infrastructure.get(i).close();
            } catch (Exception ex) {
                say("Error while stopping " + infrastructure.get(i).getClass().getSimpleName() + ": " + ex);
            }
        }
        say("MongoDB and mail stopped. Data kept in " + dataDir);
    }

    private void failIfStopping() {
        if (stopping) {
            throw new IllegalStateException("stopping");
        }
    }

    private ServiceProcess find(Service service) {
        return services.stream()
                .filter(p -> p.name().equals(service.module))
                .findFirst()
                .orElseThrow();
    }

    Path logFile(Service service) {
        return dataDir.resolve("logs").resolve(service.module + ".log");
    }

    private void printTable(List<Service> launched, Duration took) {
        StringBuilder table = new StringBuilder();
        String row = "  %-22s %-42s %s%n";
        table.append(String.format(
                "%n==== Talkback local stack is running (ready in %d s); Ctrl-C stops everything ====%n%n",
                took.toSeconds()));
        table.append(String.format(row, "WHAT", "WHERE", "LOG / FILES"));
        table.append(String.format(
                row,
                "Kafka (KRaft)",
                HOST + ":" + KAFKA_PORT + " (controller " + KAFKA_CONTROLLER_PORT + ")",
                relative(kafka.process().logFile())));
        table.append(String.format(
                row,
                "MongoDB",
                "mongodb://" + HOST + ":" + MONGO_PORT,
                relative(dataDir.resolve("mongo").resolve("talkback.mv.db"))));
        table.append(String.format(row, "SMTP (GreenMail)", HOST + ":" + SMTP_PORT, "mails in memory"));
        table.append(String.format(
                row,
                "Mail API",
                "http://" + HOST + ":" + MAIL_API_PORT + MailCatcher.MESSAGES_PATH,
                "GET lists, DELETE clears"));
        for (Service service : Service.values()) {
            boolean running = launched.contains(service);
            table.append(String.format(
                    row,
                    service.module,
                    running
                            ? "http://" + HOST + ":" + service.port + " (actuator :" + service.managementPort + ")"
                            : "(not started)",
                    running ? relative(logFile(service)) : ""));
        }
        if (launched.contains(Service.MODERATION)) {
            table.append(String.format(
                    row,
                    "moderator console",
                    "http://" + HOST + ":" + Service.MODERATION.port + "/moderate/",
                    "sign in with a name and a role"));
            table.append(String.format(
                    row,
                    "moderator token (JWT)",
                    "MODERATOR, 8 hours, moderation-service",
                    relative(tokenFile("moderator"))));
            table.append(String.format(
                    row, "admin token (JWT)", "ADMIN, 8 hours, moderation-service", relative(tokenFile("admin"))));
        }
        if (launched.contains(Service.NOTIFICATION)) {
            table.append(String.format(
                    row,
                    "admin token (JWT)",
                    "ADMIN, 8 hours, notification-service",
                    relative(tokenFile("notification-admin"))));
        }
        table.append(String.format("%n  Data folder: %s  (delete it to reset)%n", dataDir));
        if (launched.contains(Service.COMMENT)) {
            table.append(String.format(
                    "  Try: curl -i -H 'Content-Type: application/json' "
                            + "-d '{\"name\":\"Ada\",\"email\":\"ada@example.org\",\"text\":\"Hello!\"}' "
                            + "http://%s:%d/api/articles/demo/comments%n",
                    HOST, Service.COMMENT.port));
        }
        System.out.println(table);
        System.out.flush();
    }

    private String relative(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
    }

    /** The comment-service's status-token secret: generated once, then read from the data folder. */
    String statusTokenSecret() throws IOException {
        return secretFile(dataDir.resolve("status-token-secret"));
    }

    Path tokenFile(String role) {
        return dataDir.resolve("tokens").resolve(role + ".jwt");
    }

    /** The HMAC keys of this start, one per service. */
    record LocalKeys(String moderation, String notification) {

        @Override
        public String toString() {
            return "LocalKeys[(secret)]";
        }
    }

    /**
     * A new HMAC key per service, kept in memory only, and tokens signed with them, written afresh at every start
     * to {@code tokens/}: a MODERATOR and an ADMIN token for moderation-service, an ADMIN token for
     * notification-service, each valid {@link #TOKEN_VALIDITY} and naming its service as audience. The tokens of
     * an earlier start open nothing once the stack restarts.
     */
    LocalKeys localTokens() throws IOException {
        Path tokens = dataDir.resolve("tokens");
        Files.createDirectories(tokens);
        // the key file of earlier versions, which kept one key for ever
        Files.deleteIfExists(tokens.resolve("signing-key"));
        LocalKeys keys = new LocalKeys(LocalTokens.newKey(), LocalTokens.newKey());
        LocalTokens moderation = LocalTokens.forModeration(keys.moderation());
        LocalTokens notification = LocalTokens.forNotification(keys.notification());
        Instant now = Instant.now();
        Instant expires = now.plus(TOKEN_VALIDITY);
        writePrivate(tokenFile("moderator"), moderation.token("local-moderator", List.of("MODERATOR"), now, expires));
        writePrivate(tokenFile("admin"), moderation.token("local-admin", List.of("ADMIN"), now, expires));
        writePrivate(
                tokenFile("notification-admin"), notification.token("local-admin", List.of("ADMIN"), now, expires));
        return keys;
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ex) {
            // not a POSIX file system; the folder is private to the developer anyway
        }
    }

    private static String randomSecret() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String secretFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String secret = randomSecret();
        Files.writeString(file, secret, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ex) {
            // not a POSIX file system; the folder is private to the developer anyway
        }
        return secret;
    }

    static Set<Service> wantedServices() {
        String value = setting("talkback.services", "TALKBACK_SERVICES")
                .orElse("all")
                .trim()
                .toLowerCase(Locale.ROOT);
        Set<Service> wanted = new LinkedHashSet<>();
        if (value.equals("all")) {
            wanted.addAll(List.of(Service.values()));
        } else if (!value.equals("none") && !value.isEmpty()) {
            for (String name : value.split(",")) {
                String module = name.trim().endsWith("-service") ? name.trim() : name.trim() + "-service";
                wanted.add(Arrays.stream(Service.values())
                        .filter(s -> s.module.equals(module))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + name
                                + "' in talkback.services; use all, none or a list of comment-service, "
                                + "moderation-service, notification-service")));
            }
        }
        return wanted;
    }

    private static Path jarFolder(Service service) {
        return setting("talkback.services.dir", "TALKBACK_SERVICES_DIR")
                .map(Path::of)
                .orElse(Path.of(service.module, "target"))
                .toAbsolutePath();
    }

    static Optional<Path> findJar(Service service) {
        Path folder = jarFolder(service);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, service.module + "-*-exec.jar")) {
            List<Path> found = new ArrayList<>();
            jars.forEach(found::add);
            // newest first, should an old version linger
            found.sort(
                    (a, b) -> Long.compare(b.toFile().lastModified(), a.toFile().lastModified()));
            return found.stream().findFirst();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void checkPortsFree(Set<Service> wanted) {
        List<Integer> ports =
                new ArrayList<>(List.of(KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, SMTP_PORT, MAIL_API_PORT));
        wanted.forEach(s -> {
            ports.add(s.port);
            ports.add(s.managementPort);
        });
        List<Integer> busy = ports.stream().filter(LocalStack::inUse).toList();
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Port(s) " + busy + " already in use: is a local stack (or another "
                    + "Kafka/MongoDB/service) already running? Stop it first.");
        }
    }

    static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 300);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** Whether comment-service's rate limits are lifted for a benchmark ({@code talkback.rate-limits=lifted}). */
    static boolean ratesLifted() {
        String value = setting("talkback.rate-limits", "TALKBACK_RATE_LIMITS").orElse("site");
        return switch (value) {
            case "site" -> false;
            case "lifted" -> true;
            default ->
                throw new IllegalArgumentException(
                        "talkback.rate-limits (TALKBACK_RATE_LIMITS) must be site or lifted, not " + value);
        };
    }

    static Optional<String> setting(String property, String environment) {
        String value = System.getProperty(property);
        if ((value == null || value.isBlank()) && environment != null) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    static void say(String message) {
        System.out.println("[local-stack] " + message);
        System.out.flush();
    }

    @Override
    public String toString() {
        return "LocalStack[" + dataDir + File.separator + "]";
    }
}
