package dev.talkback.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka helpers for {@code bench/run-all.sh}, on the plain clients (no Spring):
 * <ul>
 * <li>{@code lag <bootstrap> <group> <topic> <intervalMs> <seconds>}: prints {@code <epochMs> <totalLag>} every
 * interval, the group's lag summed over the topic's partitions (end offset minus committed offset).</li>
 * <li>{@code fill <bootstrap> <topic> <count>}: writes {@code count} valid {@code CommentSubmitted} records (the
 * golden JSON's shape, each with its own ids and email, logical type in {@code __TypeId__}), keyed by comment id as
 * comment-service does; on {@code comments.moderated.v1}, {@code CommentModerated} approvals instead, each from a new
 * address that asks for the "published" mail, so each makes notification-service send one mail (the confirmation
 * request).</li>
 * <li>{@code mails <prometheusUrl> <count> <timeoutSeconds>}: waits until notification-service's count of sent mails
 * ({@code notification_deliveries_total{channel="mail",outcome="sent"}}) starts to move, then until it grew by
 * {@code count}, and prints {@code mailed=<mails> seconds=<s> rate=<mails/s>}.</li>
 * <li>{@code drain <bootstrap> <group> <topic> <timeoutSeconds>}: waits until the group's committed offsets start to
 * move, then until the lag is zero, and prints {@code drained=<records> seconds=<s> rate=<records/s>}: the rate
 * excludes the rebalance before the first commit.</li>
 * <li>{@code skip <bootstrap> <group> <topic> <timeoutSeconds>}: commits the end offsets of the topic for the group,
 * so that it never reads what was written so far (a benchmark's backlog); Kafka accepts it only once the group has
 * no live member, so it retries until then, and prints {@code skipped=<records>}.</li>
 * </ul>
 */
public final class KafkaBench {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KafkaBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        switch (args[0]) {
            case "lag" -> {
                requireArgs(args, 6);
                lag(args[1], args[2], args[3], Long.parseLong(args[4]), Long.parseLong(args[5]));
            }
            case "fill" -> {
                requireArgs(args, 4);
                fill(args[1], args[2], Integer.parseInt(args[3]));
            }
            case "drain" -> {
                requireArgs(args, 5);
                drain(args[1], args[2], args[3], Long.parseLong(args[4]));
            }
            case "mails" -> {
                requireArgs(args, 4);
                mails(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
            }
            case "skip" -> {
                requireArgs(args, 5);
                skip(args[1], args[2], args[3], Long.parseLong(args[4]));
            }
            default -> usage();
        }
    }

    private static void requireArgs(String[] args, int count) {
        if (args.length < count) {
            usage();
        }
    }

    private static void usage() {
        System.err.println("""
                usage: KafkaBench lag   <bootstrap> <group> <topic> <intervalMs> <seconds>
                       KafkaBench fill  <bootstrap> <topic> <count>
                       KafkaBench drain <bootstrap> <group> <topic> <timeoutSeconds>
                       KafkaBench skip  <bootstrap> <group> <topic> <timeoutSeconds>
                       KafkaBench mails <prometheusUrl> <count> <timeoutSeconds>""");
        System.exit(2);
    }

    static Admin admin(String bootstrap) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(properties);
    }

    /** Sum of end offsets and of the group's committed offsets over the topic's partitions. */
    record Offsets(long end, long committed) {
        long lag() {
            return end - committed;
        }
    }

    static Offsets offsets(Admin admin, String group, String topic) throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        long end = 0;
        long done = 0;
        for (TopicPartition partition : partitions) {
            end += ends.get(partition).offset();
            OffsetAndMetadata offset = committed.get(partition);
            // A partition the group never committed counts as not read at all: its whole log is lag.
            done += offset == null ? 0 : offset.offset();
        }
        return new Offsets(end, done);
    }

    private static void lag(String bootstrap, String group, String topic, long intervalMs, long seconds)
            throws Exception {
        try (Admin admin = admin(bootstrap)) {
            long until = System.currentTimeMillis() + seconds * 1000;
            while (System.currentTimeMillis() < until) {
                System.out.println(System.currentTimeMillis() + " "
                        + offsets(admin, group, topic).lag());
                System.out.flush();
                TimeUnit.MILLISECONDS.sleep(intervalMs);
            }
        }
    }

    private static void fill(String bootstrap, String topic, int count) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count && failure.get() == null; i++) {
                String commentId = ulid();
                boolean decided = topic.equals("comments.moderated.v1");
                ProducerRecord<String, String> record = new ProducerRecord<>(
                        topic, commentId, decided ? approved(commentId, i) : submitted(commentId, i));
                record.headers()
                        .add(
                                "__TypeId__",
                                (decided ? "CommentModerated" : "CommentSubmitted").getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "written=%d seconds=%.1f%n", count, seconds);
    }

    private static String submitted(String commentId, int index) {
        String text = CommentText.next();
        // A backlog of many articles, as in real traffic; one email per comment (the per-email flood limit).
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"" + Instant.now() + "\","
                + "\"commentId\":\"" + commentId + "\",\"articleId\":\"backlog-" + (index % 500) + "\","
                + "\"parentId\":null,\"author\":{\"name\":\"Backlog Reader " + index + "\","
                + "\"email\":\"backlog-" + UUID.randomUUID() + "@example.org\",\"website\":null,"
                + "\"notifyReplies\":false},\"text\":\"" + text + "\",\"clientIp\":\"127.0.0.1\","
                + "\"userAgent\":\"talkback-bench\"}";
    }

    private static String approved(String commentId, int index) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"" + Instant.now() + "\","
                + "\"commentId\":\"" + commentId + "\",\"articleId\":\"mails-" + (index % 500) + "\","
                + "\"revision\":1,\"outcome\":\"APPROVED\",\"human\":false,"
                + "\"reasons\":[{\"ruleId\":\"pipeline.passed\",\"message\":\"No rule objected to this comment.\"}],"
                + "\"publicReason\":null,\"comment\":{\"parentId\":null,\"authorName\":\"Mail Reader " + index + "\","
                + "\"website\":null,\"text\":\"" + CommentText.next() + "\",\"submittedAt\":\"" + Instant.now()
                + "\"},\"contact\":{\"email\":\"mails-" + UUID.randomUUID() + "@example.org\","
                + "\"notifyReplies\":false,\"notifyPublished\":true},\"statement\":null}";
    }

    private static void mails(String prometheusUrl, long count, long timeoutSeconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(prometheusUrl)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        double first = sentMails(http, request);
        // the caller pauses notification-service and writes the backlog once it reads this line
        System.out.println("baseline=" + (long) first);
        System.out.flush();
        double now = first;
        long startedAt = 0;
        while (System.nanoTime() < deadline && now < first + count) {
            // not more often: each scrape costs notification-service CPU, which is what is measured
            TimeUnit.MILLISECONDS.sleep(200);
            now = sentMails(http, request);
            if (startedAt == 0 && now > first) {
                startedAt = System.nanoTime();
            }
        }
        if (startedAt == 0) {
            System.out.println("mailed=0 seconds=0 rate=0 (nothing was sent: timeout)");
            System.exit(1);
        }
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        long mailed = (long) (now - first);
        System.out.printf(Locale.ROOT, "mailed=%d seconds=%.2f rate=%.0f%n", mailed, seconds, mailed / seconds);
        if (mailed < count) {
            System.exit(1);
        }
    }

    /** The sum of the samples of {@code notification_deliveries_total} for sent mails. */
    static double sentMails(HttpClient http, HttpRequest request) throws Exception {
        double sum = 0;
        for (String line :
                http.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
            if (line.startsWith("notification_deliveries_total{")
                    && line.contains("channel=\"mail\"")
                    && line.contains("outcome=\"sent\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** A ULID (48-bit millisecond time, 80 random bits, Crockford base32), as comment-service makes them. */
    static String ulid() {
        long time = System.currentTimeMillis();
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD.charAt((int) (time & 31));
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            out[i] = CROCKFORD.charAt(RANDOM.nextInt(32));
        }
        return new String(out);
    }

    private static void skip(String bootstrap, String group, String topic, long timeoutSeconds) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            List<TopicPartition> partitions =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((partition, info) -> ends.put(partition, new OffsetAndMetadata(info.offset())));
            long skipped = offsets(admin, group, topic).lag();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                try {
                    admin.alterConsumerGroupOffsets(group, ends).all().get();
                    System.out.println("skipped=" + skipped);
                    return;
                } catch (ExecutionException stillActive) {
                    if (System.nanoTime() > deadline) {
                        throw stillActive;
                    }
                    TimeUnit.SECONDS.sleep(2);
                }
            }
        }
    }

    private static void drain(String bootstrap, String group, String topic, long timeoutSeconds) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            Offsets first = offsets(admin, group, topic);
            System.out.println("backlog=" + first.lag());
            Offsets start = first;
            long startedAt = 0;
            // Wait for the first commit after the pause: the group has rejoined and is reading.
            while (System.nanoTime() < deadline) {
                Offsets now = offsets(admin, group, topic);
                if (now.committed() > first.committed()) {
                    start = now;
                    startedAt = System.nanoTime();
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            if (startedAt == 0) {
                System.out.println("drained=0 seconds=0 rate=0 (the group never committed: timeout)");
                System.exit(1);
            }
            Offsets now = start;
            while (System.nanoTime() < deadline && now.lag() > 0) {
                TimeUnit.MILLISECONDS.sleep(100);
                now = offsets(admin, group, topic);
            }
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            long drained = now.committed() - start.committed();
            System.out.printf(
                    Locale.ROOT,
                    "drained=%d seconds=%.2f rate=%.0f remaining=%d%n",
                    drained,
                    seconds,
                    drained / seconds,
                    now.lag());
            if (now.lag() > 0) {
                System.exit(1);
            }
        }
    }
}
