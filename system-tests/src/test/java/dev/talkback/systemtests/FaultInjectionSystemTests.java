package dev.talkback.systemtests;

import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.Topics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The promise to a newsroom, under faults: every comment a reader was told was accepted ({@code 202}) ends with
 * exactly one decision, is published once, and its author (who asked for mail from a new address) gets exactly one
 * mail, the confirmation request — while the broker, the database, the mail server and service instances fail.
 *
 * <p>Each scenario streams {@code faults.comments} comments (a system property, 1,000 in the build, 150 without it) at
 * {@code faults.rate} a second (50 in the build, 10 without it) from 8 concurrent clients, injects its fault when a third of them went
 * out, keeps streaming until the fault is repaired, waits until the system has caught up and then
 * counts, against the ids that got a {@code 202}, the decisions in moderation-service's store (and the distinct
 * decision events on {@code comments.moderated.v1}), the published comments in comment-service's read model and the
 * mails the SMTP server received. One system is shared by the scenarios (starting it takes a minute); each counts only
 * its own comments and leaves the system healthy. The report goes to {@code target/fault-injection-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionSystemTests {

    private static final int COMMENTS = Integer.getInteger("faults.comments", 150);
    private static final int CLIENTS = 8;
    /** Comments a second of the stream (the faults last seconds; the stream goes on until they are repaired). */
    private static final int RATE = Integer.getInteger("faults.rate", 10);

    private static final Duration OUTAGE = Duration.ofSeconds(8);
    /** Catching up takes at least this long, plus {@link #CATCH_UP_PER_COMMENT} for each accepted comment. */
    private static final Duration CATCH_UP = Duration.ofMinutes(2);
    /** What the system decides, publishes and mails per comment on a busy 2-core machine, generously. */
    private static final Duration CATCH_UP_PER_COMMENT = Duration.ofMillis(250);

    private static final List<String> WORDS = List.of(
            "thanks",
            "article",
            "useful",
            "garden",
            "river",
            "autumn",
            "council",
            "library",
            "bridge",
            "school",
            "weather",
            "market",
            "bakery",
            "museum",
            "season",
            "concert",
            "neighbours",
            "station",
            "harbour",
            "festival",
            "careful",
            "reporting",
            "interesting",
            "remember",
            "morning",
            "evening",
            "quiet",
            "street",
            "village",
            "summer",
            "winter",
            "spring",
            "friendly",
            "helpful",
            "detailed",
            "story",
            "picture",
            "history",
            "park",
            "trees",
            "cyclists",
            "walkers",
            "volunteers",
            "hospital",
            "teachers",
            "students",
            "recipe",
            "football",
            "match",
            "theatre",
            "music",
            "painting",
            "lake",
            "hills",
            "coast",
            "lighthouse",
            "orchard",
            "apples",
            "pears",
            "train",
            "timetable");

    private static FaultySystem system;
    private static final List<Result> results = new ArrayList<>();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startTheSystem() throws Exception {
        system = new FaultySystem();
    }

    @AfterAll
    static void stopTheSystemAndReport() throws IOException {
        try {
            String report = report();
            System.out.println(report);
            Path file = Path.of(FaultySystem.requiredProperty("system-tests.report"));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, report, StandardCharsets.UTF_8);
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    @Order(1)
    void theBrokerStopsAndRestarts() throws Exception {
        Result result = scenario("Kafka broker stopped " + OUTAGE.toSeconds() + "s, restarted", () -> {
            system.stopKafka();
            pause(OUTAGE);
            system.startKafka();
        });
        assertThat(result.unavailable).as("503 while the broker was down").isPositive();
        assertKept(result);
    }

    @Test
    @Order(2)
    void theDatabaseStopsAndRestarts() throws Exception {
        Result result = scenario("MongoDB stopped " + OUTAGE.toSeconds() + "s, restarted", () -> {
            system.stopMongo();
            pause(OUTAGE);
            system.startMongo();
        });
        assertKept(result);
        assertThat(deadLetters(result.ids))
                .as("records dead-lettered during the outage")
                .isZero();
    }

    @Test
    @Order(3)
    void oneOfTwoModerationInstancesIsKilled() throws Exception {
        var restarted = new java.util.concurrent.CompletableFuture<Void>();
        Result result = scenario("moderation-service-1 killed (SIGKILL), restarted after", () -> {
            system.moderation1.kill();
            // the other instance takes the partitions over after the session timeout (8 s); the killed one comes
            // back while the system catches up, so that the next scenario finds two instances again
            pause(Duration.ofSeconds(12));
            new Thread(
                            () -> {
                                try {
                                    system.moderation1.start();
                                    restarted.complete(null);
                                } catch (RuntimeException ex) {
                                    restarted.completeExceptionally(ex);
                                }
                            },
                            "restart-moderation-service-1")
                    .start();
        });
        restarted.get(3, TimeUnit.MINUTES);
        assertKept(result);
    }

    @Test
    @Order(4)
    void notificationServiceRestartsWhileTheMailServerRefuses() throws Exception {
        Result result = scenario("notification-service SIGTERM + start, SMTP down " + OUTAGE.toSeconds() + "s+", () -> {
            system.stopSmtp();
            assertThat(system.notifications.stop())
                    .as("notification-service stopped gracefully")
                    .isTrue();
            system.notifications.start();
            pause(OUTAGE);
            system.startSmtp();
        });
        assertKept(result);
    }

    @Test
    @Order(5)
    void recordsDeliveredTwiceChangeNothing() throws Exception {
        Result result = scenario("every record of the stream produced twice", () -> {});
        int again = produceAgain(result.ids, Topics.COMMENTS_SUBMITTED)
                + produceAgain(result.ids, Topics.COMMENTS_MODERATED);
        assertThat(again).as("records produced a second time").isGreaterThanOrEqualTo(2 * result.ids.size());
        // the duplicates are consumed like the originals: count again once they had time to be
        pause(Duration.ofSeconds(10));
        Result recounted = count(result.name, result, result.recoveryMillis);
        recounted.streamSeconds = result.streamSeconds;
        results.set(results.indexOf(result), recounted);
        assertKept(recounted);
    }

    @Test
    @Order(6)
    void aRollingRestartUnderLoadLosesNothing() throws Exception {
        Result result = scenario("rolling restart (SIGTERM, start) of every instance", Math.max(1, RATE / 5), () -> {
            for (FaultySystem.Service service : system.services()) {
                assertThat(service.stop())
                        .as(service.name + " stopped gracefully")
                        .isTrue();
                service.start();
            }
        });
        assertKept(result);
    }

    // ---- one scenario -----------------------------------------------------------------------------------------

    interface Fault {
        void inject() throws Exception;
    }

    private Result scenario(String name, Fault fault) throws Exception {
        return scenario(name, RATE, fault);
    }

    /**
     * Streams at most {@code rate} comments a second until {@link #COMMENTS} went out and the fault was repaired (so
     * that comments keep coming during the whole fault), then waits for the system to catch up and counts.
     */
    private Result scenario(String name, int rate, Fault fault) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Map<String, String> accepted = new ConcurrentHashMap<>(); // comment id -> author email
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean repairedFlag = new java.util.concurrent.atomic.AtomicBoolean();
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < COMMENTS || !repairedFlag.get(); i = next.getAndIncrement()) {
                    // the pace of a load generator (comment i goes out at start + i / rate), not a wait for a condition
                    long due = start + i * interval - System.nanoTime();
                    if (due > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due);
                    }
                    submit(run, i, sent, unavailable, failed, accepted, unexpected);
                }
            });
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= COMMENTS / 3);
        try {
            fault.inject();
        } finally {
            repairedFlag.set(true);
        }
        long repaired = System.nanoTime();
        clients.shutdown();
        assertThat(clients.awaitTermination(3, TimeUnit.MINUTES))
                .as("the stream ended")
                .isTrue();
        assertThat(unexpected).as("answers other than 202 and 503").isEmpty();
        Result result = new Result(name, sent.get(), unavailable.get(), failed.get(), Map.copyOf(accepted));
        // caught up: every accepted comment decided, and every approved one published and mailed
        try {
            await().atMost(CATCH_UP.plus(CATCH_UP_PER_COMMENT.multipliedBy(accepted.size())))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> count(name, result, 0).caughtUp());
        } catch (org.awaitility.core.ConditionTimeoutException ex) {
            // counted and reported below; the assertions then say what is missing
        }
        long recovered = System.nanoTime();
        // anything sent twice (a mail, a decision) has had a moment to arrive too
        pause(Duration.ofSeconds(3));
        Result counted =
                count(name, result, Duration.ofNanos(recovered - repaired).toMillis());
        counted.streamSeconds = Duration.ofNanos(recovered - start).toSeconds();
        results.add(counted);
        return counted;
    }

    private void submit(
            String run,
            int i,
            AtomicInteger sent,
            AtomicInteger unavailable,
            AtomicInteger failed,
            Map<String, String> accepted,
            List<String> unexpected) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String email = "reader-" + run + "-" + i + "@example.org";
        StringBuilder text = new StringBuilder("Comment " + i + " of run " + run + ":");
        for (int w = 0; w < 14; w++) {
            text.append(' ').append(WORDS.get(random.nextInt(WORDS.size())));
        }
        // asks for the "published" mail from a new address: the one mail the author gets is the confirmation request
        // (the "published" mail waits for the confirmation), recorded and sent through the same outbox
        Map<String, Object> body =
                Map.of("name", "Reader " + i, "email", email, "text", text + ".", "notifyPublished", true);
        String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        String article = "fault-" + run + "-" + (i % 10);
        sent.incrementAndGet();
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            system.comments.base.resolve("/api/articles/" + article + "/comments"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", ip)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                accepted.put(json.readTree(response.body()).get("id").asString(), email);
            } else if (response.statusCode() == 503) {
                unavailable.incrementAndGet();
            } else {
                unexpected.add(response.statusCode() + " " + response.body());
            }
        } catch (IOException ex) {
            // refused or cut while the instance restarts: the client was told nothing, so nothing was promised
            failed.incrementAndGet();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- counting -----------------------------------------------------------------------------------------------

    private Result count(String name, Result stream, long recoveryMillis) {
        Set<String> ids = stream.ids.keySet();
        Map<String, String> outcomes = new HashMap<>();
        Map<String, String> rules = new HashMap<>();
        Set<String> overDecided = new HashSet<>();
        for (Document comment : system.mongo()
                .getDatabase("moderation")
                .getCollection("comments")
                .find(in("_id", ids))) {
            Document decision = comment.get("decision", Document.class);
            rules.put(
                    comment.getString("_id"),
                    decision.getList("reasons", Document.class, List.of()).stream()
                            .map(reason -> reason.getString("ruleId"))
                            .toList()
                            .toString());
            if (outcomes.put(comment.getString("_id"), decision.getString("outcome")) != null
                    || decision.getInteger("revision", 0) != 1
                    || decision.getBoolean("human", false)) {
                overDecided.add(comment.getString("_id"));
            }
        }
        Set<String> published = new HashSet<>();
        for (Document comment :
                system.mongo().getDatabase("comments").getCollection("comments").find(in("_id", ids))) {
            if ("PUBLISHED".equals(comment.getString("status"))) {
                published.add(comment.getString("_id"));
            }
        }
        Map<String, Integer> mailsTo = new HashMap<>();
        for (String recipient : system.mailRecipients()) {
            mailsTo.merge(recipient, 1, Integer::sum);
        }
        Result result = stream.copy();
        result.recoveryMillis = recoveryMillis;
        for (Map.Entry<String, String> entry : stream.ids.entrySet()) {
            String id = entry.getKey();
            String outcome = outcomes.get(id);
            int mails = mailsTo.getOrDefault(entry.getValue(), 0);
            if (outcome != null) {
                result.decided++;
            }
            if (published.contains(id)) {
                result.published++;
            }
            if (mails > 0) {
                result.mailed++;
            }
            if (outcome != null && !"APPROVED".equals(outcome)) {
                result.notApproved.put(id, outcome + " " + rules.get(id));
            }
            boolean lost = outcome == null || ("APPROVED".equals(outcome) && (!published.contains(id) || mails == 0));
            if (lost) {
                result.lost.add(id);
            }
            if (mails > 1) {
                result.duplicate(id, mails + " mails");
            }
            if (overDecided.contains(id)) {
                result.duplicate(id, "decided again (revision or human decision)");
            }
            if (!"APPROVED".equals(outcome) && published.contains(id)) {
                result.duplicate(id, "published although " + outcome);
            }
        }
        return result;
    }

    /** Adds the comments with more than one distinct decision event on the moderated topic to the duplicates. */
    private void countDecisionEvents(Result result) {
        Map<String, Set<String>> eventIds = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records(Topics.COMMENTS_MODERATED)) {
            if (record.key() != null && result.ids.containsKey(record.key())) {
                JsonNode event = json.readTree(record.value());
                eventIds.computeIfAbsent(record.key(), key -> new HashSet<>())
                        .add(event.get("eventId").asString());
            }
        }
        eventIds.forEach((id, events) -> {
            if (events.size() > 1) {
                result.duplicate(id, events.size() + " distinct decision events");
            }
        });
        result.decisionEvents = eventIds.size();
    }

    private int deadLetters(Map<String, String> ids) {
        int count = 0;
        for (String topic : List.of(Topics.COMMENTS_SUBMITTED_DLT, Topics.COMMENTS_MODERATED_DLT)) {
            for (ConsumerRecord<String, byte[]> record : records(topic)) {
                if (record.key() != null && ids.containsKey(record.key())) {
                    count++;
                }
            }
        }
        return count;
    }

    private void assertKept(Result result) {
        countDecisionEvents(result);
        assertThat(result.accepted()).as("comments accepted").isPositive();
        assertThat(result.lost).as("%s: accepted but lost", result.name).isEmpty();
        assertThat(result.duplicated)
                .as("%s: decided, published or mailed more than once", result.name)
                .isEmpty();
        assertThat(result.notApproved)
                .as("%s: streamed comments not approved (test texts must pass), with their rules", result.name)
                .isEmpty();
        for (FaultySystem.Service service : system.services()) {
            assertThat(service.isAlive())
                    .as(service.name + " is running after the scenario")
                    .isTrue();
        }
    }

    // ---- Kafka ----------------------------------------------------------------------------------------------------

    private List<ConsumerRecord<String, byte[]>> records(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-injection-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(all::add);
            }
        }
        return all;
    }

    /** Produces every record of {@code topic} keyed by one of {@code ids} a second time, headers and all. */
    private int produceAgain(Map<String, String> ids, String topic) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        int count = 0;
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> record : records(topic)) {
                if (record.key() != null && ids.containsKey(record.key())) {
                    producer.send(new ProducerRecord<>(
                            topic, record.partition(), record.key(), record.value(), record.headers()));
                    count++;
                }
            }
            producer.flush();
        }
        return count;
    }

    private static void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> System.nanoTime() >= until);
    }

    // ---- the report ---------------------------------------------------------------------------------------------

    static final class Result {
        final String name;
        final int sent;
        final int unavailable;
        final int failed;
        final Map<String, String> ids;
        int decided;
        int published;
        int mailed;
        /** Comment id → outcome and rule ids, for the comments decided otherwise than approved. */
        final Map<String, String> notApproved = new java.util.TreeMap<>();

        int decisionEvents;
        long recoveryMillis;
        long streamSeconds;
        final Set<String> lost = new HashSet<>();
        final Set<String> duplicated = new HashSet<>();
        final Map<String, String> why = new java.util.TreeMap<>();

        Result(String name, int sent, int unavailable, int failed, Map<String, String> ids) {
            this.name = name;
            this.sent = sent;
            this.unavailable = unavailable;
            this.failed = failed;
            this.ids = ids;
        }

        void duplicate(String id, String reason) {
            duplicated.add(id);
            why.merge(id, reason, (a, b) -> a + "; " + b);
        }

        int accepted() {
            return ids.size();
        }

        boolean caughtUp() {
            return lost.isEmpty();
        }

        Result copy() {
            Result copy = new Result(name, sent, unavailable, failed, ids);
            copy.streamSeconds = streamSeconds;
            return copy;
        }
    }

    private static String report() {
        StringBuilder table = new StringBuilder("# Fault-injection report\n\n")
                .append(COMMENTS)
                .append(" comments per scenario from ")
                .append(CLIENTS)
                .append(" concurrent clients. ")
                .append("Recovery: from the repair of the fault until every accepted comment was decided, published ")
                .append("and mailed.\n\n")
                .append(
                        "| scenario | sent | accepted | 503 | refused | decided | published | mailed | lost | duplicated "
                                + "| recovery | scenario time |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            table.append(String.format(
                    "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f s | %d s |%n",
                    r.name,
                    r.sent,
                    r.accepted(),
                    r.unavailable,
                    r.failed,
                    r.decided,
                    r.published,
                    r.mailed,
                    r.lost.size(),
                    r.duplicated.size(),
                    r.recoveryMillis / 1000.0,
                    r.streamSeconds));
        }
        for (Result r : results) {
            if (!r.lost.isEmpty() || !r.why.isEmpty()) {
                table.append("\n").append(r.name).append(":\n");
                r.lost.stream()
                        .sorted()
                        .limit(20)
                        .forEach(id -> table.append("- lost ").append(id).append('\n'));
                r.why.forEach((id, reason) -> table.append("- duplicated ")
                        .append(id)
                        .append(": ")
                        .append(reason)
                        .append('\n'));
            }
        }
        return table.toString();
    }
}
