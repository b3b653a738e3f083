package dev.talkback.notification;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.AuthorContact;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.CommentModerated.PublicComment;
import dev.talkback.events.CommentModerated.Reason;
import dev.talkback.events.EventTypes;
import dev.talkback.events.Topics;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.DeliveryLedger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour of notification-service against real Kafka, MongoDB and SMTP servers. The subclasses choose where
 * Kafka and MongoDB come from (embedded / Testcontainers); SMTP is always an in-process GreenMail server. Events
 * are produced as another service would: JSON with the logical type name in {@code __TypeId__}, keyed by comment
 * id.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "notification.topic-partitions=2",
        "notification.site-name=Daily Example",
        "notification.comment-url=https://news.example/articles/{articleId}#comment-{commentId}",
        "notification.mail-from=Daily Example <comments@news.example>",
        "notification.reply-to=moderators@news.example",
        "notification.retry.initial-interval=200ms",
        "notification.retry.multiplier=1.5",
        "notification.retry.max-interval=1s",
        "notification.retry.max-retries=30",
        "spring.mail.properties.mail.smtp.connectiontimeout=2000",
        "spring.mail.properties.mail.smtp.timeout=2000"
})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
abstract class NotificationFlowScenarios {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final int SMTP_PORT = freePort();
    static final GreenMail greenMail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    static {
        greenMail.start();
    }

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @LocalServerPort
    int port;

    @Autowired
    DeliveryLedger ledger;

    private KafkaProducer<String, byte[]> producer;
    private Admin admin;

    @BeforeEach
    void connect() {
        if (!greenMail.isRunning()) {
            greenMail.start();
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @AfterEach
    void disconnect() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    @Test
    void approvedCommentMailsTheAuthorOnceWithLinkAndExcerpt(CapturedOutput output) throws Exception {
        String email = uniqueAddress("ada");
        CommentModerated event = moderated("c-" + UUID.randomUUID(), "us-sees-japan-s-korea-thaw", 1,
                Outcome.APPROVED, "Ada Reader", "A thaw would be welcome.\nLet's hope the pact survives.", email);

        publish(event, json -> json.put("fieldFromTheFuture", "ignored by consumers"));

        MimeMessage mail = awaitSingleMailTo(email);
        assertThat(mail.getSubject()).isEqualTo("Your comment on Daily Example is published");
        assertThat(addresses(mail.getFrom())).containsExactly("Daily Example <comments@news.example>");
        assertThat(addresses(mail.getReplyTo())).containsExactly("moderators@news.example");
        assertThat(addresses(mail.getAllRecipients())).containsExactly(email);
        assertThat(mail.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        String link = "https://news.example/articles/us-sees-japan-s-korea-thaw#comment-" + event.commentId();
        assertThat(part(mail, "text/plain")).contains("Hello Ada Reader,",
                "\"A thaw would be welcome. Let's hope the pact survives.\"", "Read it here: " + link);
        assertThat(part(mail, "text/html")).contains("<a href=\"" + link + "\">",
                "A thaw would be welcome. Let&#39;s hope the pact survives.");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ledger.statusOf(
                DeliveryKey.of("comment-published", event.commentId(), email))).isEqualTo("SENT"));
        assertThat(serviceLog(output)).contains("Comment " + event.commentId() + " published; author mailed")
                .doesNotContain(email);
    }

    @Test
    void redeliveredEventAndReapprovalSendNothingTwice() {
        String email = uniqueAddress("bob");
        String commentId = "c-" + UUID.randomUUID();
        CommentModerated approved = moderated(commentId, "article-1", 1, Outcome.APPROVED, "Bob", "First!", email);

        publish(approved);
        publish(approved);
        publish(moderated(commentId, "article-1", 2, Outcome.HELD, "Bob", "First!", email));
        publish(moderated(commentId, "article-1", 3, Outcome.APPROVED, "Bob", "First!", email));
        awaitAllConsumed();

        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void rejectedHeldAndApprovalsWithoutUsableAddressSendNothing() {
        String rejected = uniqueAddress("rejected");
        String held = uniqueAddress("held");
        String injected = uniqueAddress("victim");
        String bystander = uniqueAddress("bystander");

        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.REJECTED, "R", "Buy pills", rejected));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.HELD, "H", "Hmm", held));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "N", "No contact", null));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "B", "Blank", " "));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "I", "Injected",
                injected + "\r\nBcc: " + bystander));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "L", "List",
                injected + ", " + bystander));
        awaitAllConsumed();

        assertThat(mailsTo(rejected)).isEmpty();
        assertThat(mailsTo(held)).isEmpty();
        assertThat(mailsTo(injected)).isEmpty();
        assertThat(mailsTo(bystander)).isEmpty();
    }

    @Test
    void hostileNameAndTextAreEscapedAndCannotInjectHeaders() throws Exception {
        String email = uniqueAddress("eve");
        String bystander = uniqueAddress("bystander");
        String name = "Eve\r\nBcc: " + bystander + "\r\nSubject: you won <script>alert('name')</script>";
        String text = "<img src=x onerror=alert(1)> & <b>bold</b>\r\n\r\nTo: " + bystander + "\r\n.\r\nMAIL FROM:<x@y>";
        CommentModerated event = moderated("c-" + UUID.randomUUID(), "a\"><script>", 1, Outcome.APPROVED, name,
                text, email);

        publish(event);

        MimeMessage mail = awaitSingleMailTo(email);
        assertThat(addresses(mail.getAllRecipients())).containsExactly(email);
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("Cc")).isNull();
        assertThat(mail.getHeader("Subject")).hasSize(1);
        assertThat(mail.getSubject()).isEqualTo("Your comment on Daily Example is published");
        String html = part(mail, "text/html");
        assertThat(html).doesNotContain("<script>", "<img", "<b>", "a\"><script>")
                .contains("&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")
                .contains("https://news.example/articles/a%22%3E%3Cscript%3E#comment-" + event.commentId());
        awaitAllConsumed();
        assertThat(mailsTo(bystander)).isEmpty();
        assertThat(greenMail.getReceivedMessagesForDomain("y")).isEmpty();
    }

    @Test
    void mailWaitsWhileSmtpIsDownAndGoesOutOnceWhenItIsBack() {
        String email = uniqueAddress("patient");
        CommentModerated event = moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "Pat", "Later", email);
        DeliveryKey key = DeliveryKey.of("comment-published", event.commentId(), email);

        greenMail.stop();
        publish(event);
        await().atMost(PATIENCE).until(() -> "SENDING".equals(ledger.statusOf(key)));
        greenMail.start();

        awaitSingleMailTo(email);
        await().atMost(PATIENCE).until(() -> "SENT".equals(ledger.statusOf(key)));
        awaitAllConsumed();
        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void poisonRecordGoesToDeadLettersWithItsBytesAndLaterRecordsStillFlow(CapturedOutput output) {
        String commentId = "c-" + UUID.randomUUID();
        byte[] poison = "{\"eventId\": not json".getBytes(StandardCharsets.UTF_8);
        var record = new ProducerRecord<String, byte[]>(Topics.COMMENTS_MODERATED, commentId, poison);
        record.headers().add("__TypeId__", EventTypes.COMMENT_MODERATED.getBytes(StandardCharsets.UTF_8));
        send(record);
        String email = uniqueAddress("after-poison");
        publish(moderated(commentId, "a", 1, Outcome.APPROVED, "After", "Still flowing", email));

        awaitSingleMailTo(email);
        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(commentId);
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(serviceLog(output)).contains("Comment " + commentId + ": record " + Topics.COMMENTS_MODERATED);
    }

    @Test
    void readinessIncludesKafkaAndMongoAndPrometheusIsExposed() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.kafka.status").isEqualTo("UP")
                .jsonPath("$.components.mongo.status").isEqualTo("UP")
                .jsonPath("$.components.mail").doesNotExist();
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static CommentModerated moderated(String commentId, String articleId, int revision, Outcome outcome,
            String authorName, String text, @Nullable String email) {
        return new CommentModerated(UUID.randomUUID(), Instant.now(), commentId, articleId, revision, outcome,
                revision > 1, List.of(new Reason("pipeline.passed", "No rule objected to this comment.")), null,
                new PublicComment(null, authorName, null, text, Instant.now()),
                email == null ? null : new AuthorContact(email, false));
    }

    void publish(CommentModerated event) {
        publish(event, json -> {
        });
    }

    void publish(CommentModerated event, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode json = JSON.valueToTree(event);
        change.accept(json);
        var record = new ProducerRecord<String, byte[]>(Topics.COMMENTS_MODERATED, event.commentId(),
                JSON.writeValueAsBytes(json));
        record.headers().add("__TypeId__", EventTypes.COMMENT_MODERATED.getBytes(StandardCharsets.UTF_8));
        send(record);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not publish the test event", ex);
        }
    }

    /** What the service logged; GreenMail's own lines (it logs the addresses it creates mailboxes for) left out. */
    static String serviceLog(CapturedOutput output) {
        return String.join("\n", output.getAll().lines().filter(line -> !line.contains("c.icegreen.")).toList());
    }

    static String uniqueAddress(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@readers.example";
    }

    static List<MimeMessage> mailsTo(String address) {
        return greenMail.findReceivedMessages(user -> user.getEmail().equalsIgnoreCase(address), message -> true)
                .toList();
    }

    static MimeMessage awaitSingleMailTo(String address) {
        await().atMost(PATIENCE).until(() -> !mailsTo(address).isEmpty());
        List<MimeMessage> mails = mailsTo(address);
        assertThat(mails).hasSize(1);
        return mails.get(0);
    }

    /** Waits until the service committed every record of the consumed topic: nothing is left to happen. */
    void awaitAllConsumed() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            TopicDescription topic = admin.describeTopics(List.of(Topics.COMMENTS_MODERATED))
                    .allTopicNames().get(10, TimeUnit.SECONDS).get(Topics.COMMENTS_MODERATED);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()),
                    OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("notification-service")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            ends.forEach((partition, end) -> {
                OffsetAndMetadata done = committed.get(partition);
                assertThat(done == null ? 0 : done.offset()).as("committed offset of %s", partition)
                        .isEqualTo(end.offset());
            });
        });
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.COMMENTS_MODERATED_DLT));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        String part = findPart(mail.getContent(), type);
        assertThat(part).as("%s part", type).isNotEmpty();
        return part;
    }

    private static String findPart(Object content, String type) throws Exception {
        if (content instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                var part = multipart.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return (String) part.getContent();
                }
                String nested = findPart(part.getContent(), type);
                if (!nested.isEmpty()) {
                    return nested;
                }
            }
        }
        return "";
    }

    private static List<String> addresses(Address @Nullable [] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(Address::toString).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
