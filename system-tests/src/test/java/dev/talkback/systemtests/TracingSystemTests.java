package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.Topics;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * One comment, one trace: the intake answers with the trace id, the Kafka records carry it as a W3C
 * {@code traceparent} header, and every line the three services log about the comment carries the comment id and
 * that trace id, down to the mail sent later by notification-service's outbox dispatcher.
 */
class TracingSystemTests {

    private static final Duration FLOW = Duration.ofSeconds(60);
    private static final List<String> SERVICES =
            List.of("comment-service", "moderation-service", "notification-service");

    private static RunningSystem system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startTheSystem() {
        system = RunningSystem.get();
    }

    @Test
    void oneTraceIdFollowsACommentFromTheIntakeToItsMail() throws Exception {
        String article = "article-" + UUID.randomUUID();
        String email = "trace-" + UUID.randomUUID() + "@example.org";
        HttpResponse<String> response = post(
                article,
                Map.of(
                        "name",
                        "Tracy",
                        "email",
                        email,
                        "text",
                        "Following this one through.",
                        "notifyReplies",
                        false,
                        "notifyPublished",
                        true));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = json.readTree(response.body()).get("id").asString();
        String traceId = response.headers().firstValue("X-Trace-Id").orElseThrow();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));

        // published, its author confirms the address, then the "published" mail is sent (asynchronously, by the
        // outbox dispatcher, in the trace it was recorded in) and the sending logged
        MailConfirmations.confirm(system, email, "Following this one", FLOW);
        await().atMost(FLOW).until(() -> mailedTo(email));
        await().atMost(FLOW)
                .untilAsserted(() -> assertThat(linesAbout("notification-service", id))
                        .anyMatch(line -> line.contains("Delivery ") && line.contains(" sent ")));

        for (String service : SERVICES) {
            List<String> lines = linesAbout(service, id);
            assertThat(lines).as("%s logs about comment %s", service, id).isNotEmpty();
            // [service,traceId,spanId,commentId] from logging.pattern.correlation
            assertThat(lines)
                    .as("%s lines about comment %s carry its trace and id", service, id)
                    .allMatch(
                            line -> line.contains("[" + service + "," + traceId + ","),
                            "carries the trace id " + traceId)
                    .allMatch(line -> line.contains("," + id + "]"), "carries the comment id in the MDC");
            assertThat(Files.readString(logOf(service)))
                    .as("%s never logs the email address", service)
                    .doesNotContain(email);
        }

        for (String topic : List.of(Topics.COMMENTS_SUBMITTED, Topics.COMMENTS_MODERATED)) {
            ConsumerRecord<String, String> record =
                    await().atMost(FLOW).until(() -> recordOf(topic, id), found -> found != null);
            Header traceparent = record.headers().lastHeader("traceparent");
            assertThat(traceparent).as("traceparent header on %s", topic).isNotNull();
            // 00-<trace id>-<parent span id>-<flags>
            assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).startsWith("00-" + traceId + "-");
        }
    }

    private static boolean mailedTo(String email) throws MessagingException {
        for (MimeMessage message : system.smtp.getReceivedMessages()) {
            if (Arrays.stream(message.getAllRecipients())
                    .anyMatch(r -> r.toString().equals(email))) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> post(String article, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        system.commentService.resolve("/api/articles/" + article + "/comments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Path logOf(String service) {
        return Path.of(System.getProperty("system-tests.logs"), service + ".log");
    }

    /** The lines of a service's log that mention the comment id in their message (grep, as an operator would). */
    private static List<String> linesAbout(String service, String id) throws IOException {
        return Files.readAllLines(logOf(service)).stream()
                .filter(line -> messageOf(line).contains(id))
                .toList();
    }

    /** A line without its correlation prefix, so that the MDC alone does not make it "about" the comment. */
    private static String messageOf(String line) {
        int separator = line.indexOf(" : ");
        return separator < 0 ? line : line.substring(separator + 3);
    }

    private ConsumerRecord<String, String> recordOf(String topic, String id) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "system-tests-" + UUID.randomUUID());
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records.stream().filter(r -> id.equals(r.key())).findFirst().orElse(null);
        }
    }
}
