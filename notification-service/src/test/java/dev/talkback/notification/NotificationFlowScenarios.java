package dev.talkback.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.AuthorContact;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.CommentModerated.PublicComment;
import dev.talkback.events.CommentModerated.Reason;
import dev.talkback.events.CommentReported;
import dev.talkback.events.EventTypes;
import dev.talkback.events.Topics;
import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.subscription.Recipients;
import dev.talkback.support.privacy.AddressKeys;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
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
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The behaviour of notification-service against real Kafka, MongoDB and SMTP servers. The subclasses choose where
 * Kafka and MongoDB come from (embedded / Testcontainers); SMTP is always an in-process GreenMail server. Events
 * are produced as another service would: JSON with the logical type name in {@code __TypeId__}, keyed by comment
 * id.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "notification.kafka.topic-partitions=2",
            "notification.site.name=Daily Example",
            "notification.site.comment-url=https://news.example/articles/{articleId}#comment-{commentId}",
            "notification.mail.from=Daily Example <comments@news.example>",
            "notification.mail.reply-to=moderators@news.example",
            "notification.kafka.retry.initial-interval=200ms",
            "notification.kafka.retry.multiplier=1.5",
            "notification.kafka.retry.max-interval=1s",
            "notification.kafka.retry.max-retries=30",
            "spring.mail.properties.mail.smtp.connectiontimeout=2000",
            "spring.mail.properties.mail.smtp.timeout=2000",
            "notification.links.secret=test-link-secret-0123456789",
            // the local signing key (random, below) is accepted with the local profile only; the profile also lets
            // webhooks go to this machine's plain-http receivers
            "spring.profiles.active=local",
            "notification.webhooks.refresh=300ms",
            "notification.links.public-url=https://comments.news.example",
            "notification.mail.notify-rejections=true",
            "notification.digest.moderators=moderators@news.example",
            "notification.digest.interval=3s",
            "notification.digest.moderation-url=https://admin.news.example/held/{commentId}",
            "notification.outbox.poll-interval=100ms",
            "notification.mail.retry.initial-backoff=200ms",
            "notification.mail.retry.max-backoff=500ms",
            "notification.webhooks.retry.initial-backoff=200ms",
            "notification.webhooks.retry.max-backoff=400ms",
            "notification.webhooks.retry.max-attempts=8",
            "notification.webhooks.timeout=2s",
            "notification.outbox.lease=30s",
            "notification.mail.rate-limit.max-per-window=5",
            "notification.mail.rate-limit.window=7d",
            "notification.site.article-url=https://news.example/articles/{articleId}"
        })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
abstract class NotificationFlowScenarios {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** A slow answer on a loaded CI machine is not a failure (the client's default, 5 s, failed once); none is. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final int SMTP_PORT = freePort();
    static final GreenMail greenMail =
            new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    static final WebhookReceiver hooks = new WebhookReceiver(freePort());
    static final WebhookReceiver lateHooks = new WebhookReceiver(freePort());
    static final String HOOK_SECRET = "hook-secret-0";

    static {
        greenMail.start();
        hooks.start();
    }

    @DynamicPropertySource
    static void smtpAndWebhooks(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("notification.security.local-signing-key", () -> Tokens.KEY);
        registry.add("notification.webhooks.configured[0].url", () -> hooks.url("/hook"));
        registry.add("notification.webhooks.configured[0].secret", () -> HOOK_SECRET);
        registry.add("notification.webhooks.configured[1].url", () -> lateHooks.url("/hook"));
        registry.add("notification.webhooks.configured[1].secret", () -> "hook-secret-1");
        registry.add("notification.webhooks.configured[1].events", () -> "comment.published");
        registry.add("notification.webhooks.configured[2].url", () -> hooks.url("/flaky"));
        registry.add("notification.webhooks.configured[2].secret", () -> "hook-secret-2");
        registry.add("notification.webhooks.configured[2].events", () -> "comment.rejected");
    }

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    HealthContributorRegistry health;

    @Autowired
    ReactiveHealthContributorRegistry reactiveHealth;

    @Autowired
    Outbox ledger;

    @Autowired
    org.springframework.data.mongodb.core.ReactiveMongoTemplate mongo;

    @Autowired
    Recipients recipients;

    @Autowired
    AddressKeys addressKeys;

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
        CommentModerated event = moderated(
                "c-" + UUID.randomUUID(),
                "us-sees-japan-s-korea-thaw",
                1,
                Outcome.APPROVED,
                "Ada Reader",
                "A thaw would be welcome.\nLet's hope the pact survives.",
                email);
        confirmed(email);

        publish(event, json -> json.put("fieldFromTheFuture", "ignored by consumers"));

        MimeMessage mail = awaitSingleMailTo(email);
        assertThat(mail.getSubject()).isEqualTo("Your comment on Daily Example is published");
        assertThat(addresses(mail.getFrom())).containsExactly("Daily Example <comments@news.example>");
        assertThat(addresses(mail.getReplyTo())).containsExactly("moderators@news.example");
        assertThat(addresses(mail.getAllRecipients())).containsExactly(email);
        assertThat(mail.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(mail.getMessageID()).matches("<[0-9a-f]{32}@news\\.example>"); // the delivery's (see MailerTests)
        String link = "https://news.example/articles/us-sees-japan-s-korea-thaw#comment-" + event.commentId();
        assertThat(part(mail, "text/plain"))
                .contains(
                        "Hello Ada Reader,",
                        "\"A thaw would be welcome. Let's hope the pact survives.\"",
                        "Read it here: " + link);
        assertThat(part(mail, "text/html"))
                .contains("<a href=\"" + link + "\">", "A thaw would be welcome. Let&#39;s hope the pact survives.");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(ledger.statusOf(mailKey("comment-published", event.commentId(), email)))
                        .isEqualTo("SENT"));
        assertThat(mail.getHeader("List-Unsubscribe")).hasSize(1);
        assertThat(mail.getHeader("List-Unsubscribe")[0])
                .matches("<https://comments\\.news\\.example/notifications/unsubscribe\\?token=[A-Za-z0-9_.-]+>");
        assertThat(mail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(part(mail, "text/plain")).contains("Stop these mails: https://comments.news.example/");
        assertThat(serviceLog(output))
                .contains("Comment " + event.commentId() + " published; author mail recorded")
                .doesNotContain(email);
    }

    @Test
    void redeliveredEventAndReapprovalSendNothingTwice() {
        String email = uniqueAddress("bob");
        String commentId = "c-" + UUID.randomUUID();
        CommentModerated approved = moderated(commentId, "article-1", 1, Outcome.APPROVED, "Bob", "First!", email);
        confirmed(email);

        publish(approved);
        publish(approved);
        publish(moderated(commentId, "article-1", 2, Outcome.HELD, "Bob", "First!", email));
        publish(moderated(commentId, "article-1", 3, Outcome.APPROVED, "Bob", "First!", email));
        awaitAllConsumed();

        // Mail leaves from the outbox after the offsets moved: wait for the one delivery to be sent.
        await().atMost(PATIENCE)
                .until(() -> "SENT".equals(ledger.statusOf(mailKey("comment-published", commentId, email))));
        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void rejectionMailsTheReasonWhileHeldAndApprovalsWithoutUsableAddressSendNothing() throws Exception {
        String rejected = uniqueAddress("rejected");
        String held = uniqueAddress("held");
        String injected = uniqueAddress("victim");
        String bystander = uniqueAddress("bystander");
        confirmed(rejected, held);

        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.REJECTED, "R", "Buy pills", rejected));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.HELD, "H", "Hmm", held));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "N", "No contact", null));
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "B", "Blank", " "));
        publish(moderated(
                "c-" + UUID.randomUUID(),
                "a",
                1,
                Outcome.APPROVED,
                "I",
                "Injected",
                injected + "\r\nBcc: " + bystander));
        publish(moderated(
                "c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "L", "List", injected + ", " + bystander));
        awaitAllConsumed();

        MimeMessage rejection = awaitSingleMailTo(rejected);
        assertThat(rejection.getSubject()).isEqualTo("Your comment on Daily Example was not published");
        assertThat(part(rejection, "text/plain")).contains("\"Buy pills\"", "Why: ");
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
        CommentModerated event =
                moderated("c-" + UUID.randomUUID(), "a\"><script>", 1, Outcome.APPROVED, name, text, email);
        confirmed(email);

        publish(event);

        MimeMessage mail = awaitSingleMailTo(email);
        assertThat(addresses(mail.getAllRecipients())).containsExactly(email);
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("Cc")).isNull();
        assertThat(mail.getHeader("Subject")).hasSize(1);
        assertThat(mail.getHeader("To")).hasSize(1);
        assertThat(mail.getHeader("List-Unsubscribe")).hasSize(1);
        assertThat(mail.getSubject()).isEqualTo("Your comment on Daily Example is published");
        String html = part(mail, "text/html");
        assertThat(html)
                .doesNotContain("<script>", "<img", "<b>", "a\"><script>")
                .contains("&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;")
                .contains("https://news.example/articles/a%22%3E%3Cscript%3E#comment-" + event.commentId());
        awaitAllConsumed();
        assertThat(mailsTo(bystander)).isEmpty();
        assertThat(greenMail.findReceivedMessages(user -> user.getEmail().endsWith("@y"), message -> true))
                .isEmpty();
    }

    @Test
    void mailWaitsWhileSmtpIsDownAndGoesOutOnceWhenItIsBack() {
        String email = uniqueAddress("patient");
        CommentModerated event = moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "Pat", "Later", email);
        DeliveryKey key = mailKey("comment-published", event.commentId(), email);
        confirmed(email);

        greenMail.stop();
        publish(event);
        await().atMost(PATIENCE).until(() -> {
            OutboxEntry entry = ledger.find(key.id()).block();
            return entry != null && entry.attempts() >= 2 && entry.lastError() != null;
        });
        awaitAllConsumed();
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
        confirmed(email);
        publish(moderated(commentId, "a", 1, Outcome.APPROVED, "After", "Still flowing", email));

        awaitSingleMailTo(email);
        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(commentId);
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(serviceLog(output)).contains("Comment " + commentId + ": record " + Topics.COMMENTS_MODERATED);
    }

    @Test
    void theActuatorIsOnTheManagementPortOnlyWithoutDetailsOrMailCheck() {
        WebTestClient management = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            // status only, and no token asked: the management port is for the cluster
            management
                    .get()
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.status")
                    .isEqualTo("UP")
                    .jsonPath("$.components")
                    .doesNotExist()
                    .jsonPath("$.details")
                    .doesNotExist();
        }
        management
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
        management.get().uri("/actuator/info").exchange().expectStatus().isOk();
        // readiness is readinessState, mongo and kafka; no health call opens an SMTP connection
        assertThat(reactiveHealth.getContributor("kafka")).isNotNull();
        assertThat(health.getContributor("mail")).isNull();

        // the public port has no actuator, whoever asks
        for (String path : List.of(
                "/actuator",
                "/actuator/health",
                "/actuator/health/readiness",
                "/actuator/prometheus",
                "/actuator/info")) {
            client().get().uri(path).exchange().expectStatus().isNotFound();
            client().get()
                    .uri(path)
                    .header("Authorization", "Bearer " + admin())
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }
    }

    @Test
    void burstOf200ApprovalsWhileSmtpIsDownSendsExactly200MailsWhenItIsBack() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> addresses = new ArrayList<>();
        greenMail.stop();
        for (int i = 0; i < 200; i++) {
            String email = "burst-" + batch + "-" + i + "@readers.example";
            addresses.add(email);
            confirmed(email);
            publish(moderated(
                    "c-" + batch + "-" + i, "burst", 1, Outcome.APPROVED, "Reader " + i, "Comment " + i, email));
        }
        awaitAllConsumed();
        assertThat(greenMail.isRunning()).isFalse();
        greenMail.start();

        await().atMost(PATIENCE).until(() -> burstMails(batch) >= 200);
        await().atMost(PATIENCE)
                .until(() -> addresses.stream()
                        .allMatch(a -> "SENT"
                                .equals(ledger.statusOf(
                                        mailKey("comment-published", "c-" + batch + "-" + addresses.indexOf(a), a)))));
        assertThat(burstMails(batch)).isEqualTo(200);
        assertThat(addresses).allSatisfy(a -> assertThat(mailsTo(a)).hasSize(1));
    }

    private static long burstMails(String batch) {
        return greenMail
                .findReceivedMessages(user -> user.getEmail().startsWith("burst-" + batch + "-"), message -> true)
                .count();
    }

    @Test
    void replyMailsTheParentAuthorOnlyAfterConfirmationAndOneConfirmationMailIsSent() throws Exception {
        String parentEmail = uniqueAddress("parent");
        String replierEmail = uniqueAddress("replier");
        String parentId = "c-" + UUID.randomUUID();
        publish(withParent(
                moderated(parentId, "art", 1, Outcome.APPROVED, "Pam", "Parent text", parentEmail), null, true));
        // A second comment asking for replies from the same address: still one confirmation mail.
        publish(withParent(
                moderated("c-" + UUID.randomUUID(), "art", 1, Outcome.APPROVED, "Pam", "Again", parentEmail),
                null,
                true));
        String earlyReply = "c-" + UUID.randomUUID();
        publish(withParent(
                moderated(earlyReply, "art", 1, Outcome.APPROVED, "Rex", "Too early", replierEmail), parentId, false));
        awaitAllConsumed();

        // Unconfirmed: the confirmation request is the only mail; both "published" mails wait for it.
        MimeMessage confirmation = awaitSingleMailTo(parentEmail);
        assertThat(confirmation.getSubject()).isEqualTo("Confirm your address for mail from Daily Example");
        assertThat(ledger.statusOf(mailKey("reply", earlyReply, parentEmail))).isNull();
        assertThat(ledger.statusOf(mailKey("comment-published", parentId, parentEmail)))
                .isEqualTo("PENDING");

        String confirmLink = link(part(confirmation, "text/plain"), "/notifications/confirm?token=");
        confirmThroughThePage(parentEmail, confirmLink);
        client().get()
                .uri("/notifications/confirm?token=" + "x" + confirmLink.substring(confirmLink.indexOf('=') + 1))
                .exchange()
                .expectStatus()
                .isBadRequest();
        // the confirmation released the two "published" mails that waited for it
        await().atMost(PATIENCE).until(() -> mailsTo(parentEmail).size() == 3);
        assertThat(mailsTo(parentEmail))
                .extracting(NotificationFlowScenarios::subject)
                .containsOnly(
                        "Confirm your address for mail from Daily Example",
                        "Your comment on Daily Example is published");

        String reply = "c-" + UUID.randomUUID();
        publish(withParent(
                moderated(reply, "art", 1, Outcome.APPROVED, "Rex <b>", "I agree & more", replierEmail),
                parentId,
                false));
        await().atMost(PATIENCE).until(() -> mailsTo(parentEmail).size() == 4);
        MimeMessage replyMail = mailsTo(parentEmail).stream()
                .filter(m -> subject(m).startsWith("New reply"))
                .findFirst()
                .orElseThrow();
        assertThat(addresses(replyMail.getAllRecipients())).containsExactly(parentEmail);
        assertThat(part(replyMail, "text/html"))
                .contains(
                        "Rex &lt;b&gt; replied",
                        "I agree &amp; more",
                        "https://news.example/articles/art#comment-" + reply);
        assertThat(replyMail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");

        // One-click unsubscribe (RFC 8058) from replies: the next reply is not sent.
        String unsubscribe = replyMail.getHeader("List-Unsubscribe")[0].replaceAll("^<|>$", "");
        client().post()
                .uri(relative(unsubscribe))
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("List-Unsubscribe=One-Click")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("Unsubscribed"));
        String lateReply = "c-" + UUID.randomUUID();
        publish(withParent(
                moderated(lateReply, "art", 1, Outcome.APPROVED, "Rex", "Still here", replierEmail), parentId, false));
        await().atMost(PATIENCE)
                .until(() -> "CANCELLED".equals(ledger.statusOf(mailKey("reply", lateReply, parentEmail))));
        assertThat(mailsTo(parentEmail)).hasSize(4);
    }

    @Test
    void strangersAddressGetsOnlyAConfirmationRequestThatQuotesNothingOfTheComment() throws Exception {
        String stranger = uniqueAddress("stranger");
        String first = "c-" + UUID.randomUUID();
        String second = "c-" + UUID.randomUUID();
        publish(moderated(
                first,
                "some-article",
                1,
                Outcome.APPROVED,
                "Cheap Pills Shop",
                "Buy now at https://pills.example/offer and <b>win</b>",
                stranger));
        publish(moderated(
                second,
                "other-article",
                1,
                Outcome.REJECTED,
                "Cheap Pills Shop",
                "Second try https://pills.example/again",
                stranger));
        awaitAllConsumed();

        MimeMessage request = awaitSingleMailTo(stranger);
        assertThat(request.getSubject()).isEqualTo("Confirm your address for mail from Daily Example");
        for (String body : List.of(part(request, "text/plain"), part(request, "text/html"))) {
            assertThat(body)
                    .contains(
                            "Daily Example",
                            "https://news.example/articles/some-article",
                            "https://comments.news.example/notifications/confirm?token=")
                    .doesNotContain("pills.example", "Pills Shop", "Buy now", "<b>", "&lt;b&gt;", first);
        }
        // one request per address and interval (both decisions are recorded: a second request would be in the outbox)
        assertThat(mongo.count(
                                org.springframework.data.mongodb.core.query.Query.query(
                                        org.springframework.data.mongodb.core.query.Criteria.where("kind")
                                                .is("confirm")
                                                .and("mail.recipientHash")
                                                .is(addressKeys.of(stranger))),
                                OutboxEntry.class)
                        .block(Duration.ofSeconds(10)))
                .isEqualTo(1);
        // the mails it asked for wait for the confirmation
        assertThat(ledger.statusOf(mailKey("comment-published", first, stranger)))
                .isEqualTo("PENDING");
        assertThat(ledger.statusOf(mailKey("comment-rejected", second, stranger)))
                .isEqualTo("PENDING");
        OutboxEntry waiting =
                ledger.find(mailKey("comment-published", first, stranger).id()).block();
        assertThat(waiting.nextAttemptAt()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        assertThat(mailsTo(stranger)).hasSize(1);
    }

    @Test
    void aNotifierIsToldOfTheReceiptAndOnceOfTheDecisionWithHowToContestIt() throws Exception {
        String notifier = uniqueAddress("notifier");
        confirmed(notifier);
        String commentId = "c-" + UUID.randomUUID();
        String reportId = UUID.randomUUID().toString();
        publishReported(new CommentReported(
                UUID.randomUUID(),
                Instant.now(),
                reportId,
                commentId,
                "noticed-article",
                CommentReported.Reason.ILLEGAL_CONTENT,
                null,
                new CommentReported.Notice("It names a private person <b>here</b>.", "Grace", notifier, true),
                "198.51.100.1"));
        // a plain report names nobody to tell
        publishReported(new CommentReported(
                UUID.randomUUID(),
                Instant.now(),
                UUID.randomUUID().toString(),
                commentId,
                "noticed-article",
                CommentReported.Reason.ABUSE,
                "rude",
                null,
                "198.51.100.2"));

        MimeMessage received = awaitSingleMailTo(notifier);
        assertThat(received.getSubject()).isEqualTo("Your notice about a comment on Daily Example was received");
        assertThat(part(received, "text/plain"))
                .contains("Hello Grace,")
                .contains("https://news.example/articles/noticed-article#comment-" + commentId)
                .contains("It names a private person <b>here</b>.")
                .contains("Reference: " + reportId);
        assertThat(part(received, "text/html")).contains("&lt;b&gt;here").doesNotContain("<b>here");

        CommentModerated removal = new CommentModerated(
                UUID.randomUUID(),
                Instant.now(),
                commentId,
                "noticed-article",
                2,
                Outcome.REJECTED,
                true,
                List.of(new Reason("human.reject", "Doxxing")),
                "A moderator decided not to publish this comment.",
                new PublicComment(null, "Author", null, "text", Instant.now()),
                new AuthorContact(uniqueAddress("author"), false, false),
                new CommentModerated.Statement(
                        CommentModerated.Statement.Facts.NOTICE,
                        false,
                        false,
                        CommentModerated.Statement.Ground.LAW,
                        "Privacy act, s. 2",
                        "A moderator decided not to publish this comment.",
                        "Write to complaints@news.example."));
        publish(removal);
        publish(removal); // redelivered: told once
        await().atMost(PATIENCE).until(() -> mailsTo(notifier).size() == 2);
        awaitAllConsumed();
        MimeMessage decided = mailsTo(notifier).get(1);
        assertThat(decided.getSubject()).isEqualTo("Decision on your notice about a comment on Daily Example");
        assertThat(part(decided, "text/plain"))
                .contains("The comment was removed as illegal under Privacy act, s. 2.")
                .contains("The decision was taken by a person.")
                .contains("Write to complaints@news.example.")
                .doesNotContain("Doxxing");
        assertThat(mailsTo(notifier)).hasSize(2);
    }

    void publishReported(CommentReported event) {
        var record = new ProducerRecord<String, byte[]>(
                Topics.COMMENTS_REPORTED, event.commentId(), JSON.writeValueAsBytes(event));
        record.headers().add("__TypeId__", EventTypes.COMMENT_REPORTED.getBytes(StandardCharsets.UTF_8));
        send(record);
    }

    @Test
    void authorWhoDidNotAskGetsNoMailEvenWhenConfirmed() {
        String email = uniqueAddress("silent");
        confirmed(email);
        String commentId = "c-" + UUID.randomUUID();
        publish(notAskingForMail(moderated(commentId, "a", 1, Outcome.APPROVED, "Sil", "No mail please", email)));
        String rejected = "c-" + UUID.randomUUID();
        publish(notAskingForMail(moderated(rejected, "a", 1, Outcome.REJECTED, "Sil", "Nor this", email)));
        awaitAllConsumed();

        assertThat(ledger.statusOf(mailKey("comment-published", commentId, email)))
                .isNull();
        assertThat(ledger.statusOf(mailKey("comment-rejected", rejected, email)))
                .isNull();
        assertThat(mailsTo(email)).isEmpty();
    }

    @Test
    void expiredOrUndatedConfirmationLinksGet410AndConfirmNothing() {
        String email = uniqueAddress("late");
        String hash = addressKeys.of(email);
        long past = Instant.now().minus(Duration.ofMinutes(1)).getEpochSecond();
        for (String token :
                List.of(signedLink("CONFIRM|all|" + hash + "|" + past), signedLink("CONFIRM|all|" + hash))) {
            client().get()
                    .uri("/notifications/confirm?token=" + token)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(410)
                    .expectBody(String.class)
                    .value(body -> assertThat(body).contains("Link expired"));
            client().post()
                    .uri("/notifications/confirm?token=" + token)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(410);
        }
        assertThat(recipients.state(email).confirmed()).isFalse();
    }

    /** The {@code Webhook-Signature} a receiver expects, computed as the README tells receivers to. */
    private static String signatureHeader(String secret, long t, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1="
                    + java.util.HexFormat.of()
                            .formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A link token signed with the test's {@code notification.links.secret}, as the service signs them. */
    static String signedLink(String payload) {
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    "test-link-secret-0123456789".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            return b64.encodeToString(bytes) + "." + b64.encodeToString(mac.doFinal(bytes));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Opens the confirmation link as a person does: the GET (what a link scanner does too) only shows the page
     * and confirms nothing; the page's button POSTs and confirms.
     */
    void confirmThroughThePage(String email, String confirmLink) {
        client().get()
                .uri(relative(confirmLink))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith("text/html")
                .expectBody(String.class)
                .value(body -> assertThat(body)
                        .contains("<form method=\"post\" action=\""
                                + relative(confirmLink).replace("&", "&amp;"))
                        .doesNotContain("Address confirmed"));
        assertThat(recipients.state(email).confirmed()).as("confirmed by a GET").isFalse();
        client().post()
                .uri(relative(confirmLink))
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("Address confirmed"));
        assertThat(recipients.state(email).confirmed()).isTrue();
    }

    @Test
    void unsubscribedAddressGetsNothingOfThatKind() throws Exception {
        String email = uniqueAddress("quiet");
        confirmed(email);
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "Q", "One", email));
        MimeMessage first = awaitSingleMailTo(email);
        String unsubscribe = link(part(first, "text/plain"), "/notifications/unsubscribe?token=");
        client().get()
                .uri(relative(unsubscribe))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("<form method=\"post\""));
        // GET alone (a link scanner) does not unsubscribe; the form's POST does.
        client().post().uri(relative(unsubscribe)).exchange().expectStatus().isOk();

        String second = "c-" + UUID.randomUUID();
        publish(moderated(second, "a", 1, Outcome.APPROVED, "Q", "Two", email));
        await().atMost(PATIENCE)
                .until(() -> "CANCELLED".equals(ledger.statusOf(mailKey("comment-published", second, email))));
        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void heldCommentsReachModeratorsAsThrottledDigests() throws Exception {
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "held-" + UUID.randomUUID();
            held.add(id);
            publish(moderated(
                    id, "art-" + i, 1, Outcome.HELD, "Suspect " + i, "Buy <now> " + i, uniqueAddress("suspect")));
        }
        awaitAllConsumed();
        await().atMost(PATIENCE).untilAsserted(() -> {
            String all = String.join("\n", digestTexts());
            assertThat(held).allSatisfy(id -> assertThat(all).contains("https://admin.news.example/held/" + id));
        });
        List<MimeMessage> digests = mailsTo("moderators@news.example").stream()
                .filter(m -> held.stream().anyMatch(id -> text(m).contains(id)))
                .toList();
        assertThat(digests).as("digests listing the 5 held comments").hasSizeBetween(1, 2);
        assertThat(held)
                .allSatisfy(id -> assertThat(digests.stream().filter(m -> text(m).contains(id)))
                        .as("digests listing %s", id)
                        .hasSize(1));
        List<Long> sent = digests.stream().map(m -> sentDate(m)).sorted().toList();
        for (int i = 1; i < sent.size(); i++) {
            // Date headers have whole seconds: a 3 s interval shows as at least 2 s.
            assertThat(sent.get(i) - sent.get(i - 1)).as("gap between digests").isGreaterThanOrEqualTo(2000);
        }
        String html = digests.stream()
                .map(m -> html(m))
                .filter(h -> h.contains(held.get(0)))
                .findFirst()
                .orElseThrow();
        assertThat(html).contains("Buy &lt;now&gt;").doesNotContain("<now>");

        // a moderator's decision closes one: the list keeps its revision only, not who wrote what
        publish(moderated(held.get(0), "art-0", 2, Outcome.REJECTED, "Suspect 0", "Buy <now> 0", null));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(mongo.findById(held.get(0), org.bson.Document.class, "held_comments")
                                .block(Duration.ofSeconds(10)))
                        .containsEntry("held", false)
                        .containsEntry("excerpt", "")
                        .doesNotContainKey("authorName"));
    }

    @Test
    void webhookSignatureIsVerifiableWithTheDocumentedRecipe() throws Exception {
        String commentId = "c-" + UUID.randomUUID();
        String email = uniqueAddress("hooked");
        publish(moderated(commentId, "art", 1, Outcome.APPROVED, "Hook", "Signed text", email));

        WebhookReceiver.Request request =
                await().atMost(PATIENCE).until(() -> hooks.find("/hook", commentId), r -> r != null);
        assertThat(request.header("Content-Type")).startsWith("application/cloudevents+json");
        var json = JSON.readTree(request.body());
        assertThat(json.get("specversion").asString()).isEqualTo("1.0");
        assertThat(json.get("type").asString()).isEqualTo("dev.talkback.comment.published");
        assertThat(json.get("data").get("commentId").asString()).isEqualTo(commentId);
        assertThat(request.body()).doesNotContain(email);

        // The README's Java recipe.
        String signature = request.header("Webhook-Signature");
        String t = signature.replaceAll("^t=(\\d+),v1=[0-9a-f]+$", "$1");
        String v1 = signature.replaceAll("^t=\\d+,v1=([0-9a-f]+)$", "$1");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.HexFormat.of()
                .formatHex(mac.doFinal((t + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(java.security.MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), v1.getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t))).isLessThan(300);

        // The README's shell recipe, where openssl is installed.
        if (new java.io.File("/usr/bin/openssl").canExecute()) {
            var process = new ProcessBuilder(
                            "bash",
                            "-c",
                            "printf '%s' \"$T.$BODY\" | openssl dgst -sha256 -hmac \"$SECRET\" -hex | sed 's/^.*= //'")
                    .redirectErrorStream(true);
            process.environment().put("T", t);
            process.environment().put("BODY", request.body());
            process.environment().put("SECRET", HOOK_SECRET);
            Process run = process.start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(run.waitFor()).isZero();
            assertThat(out).isEqualTo(v1);
        }
    }

    @Test
    void webhookServerDownThenUpGetsTheEventOnce() {
        String commentId = "c-" + UUID.randomUUID();
        publish(moderated(commentId, "art", 1, Outcome.APPROVED, "Late", "Wait for me", null));
        DeliveryKey key =
                DeliveryKey.of("comment.published", commentId + ":1", Channel.WEBHOOK, lateHooks.url("/hook"));
        await().atMost(PATIENCE).until(() -> {
            OutboxEntry entry = ledger.find(key.id()).block();
            return entry != null
                    && entry.attempts() >= 2
                    && "PENDING".equals(entry.status().name());
        });
        lateHooks.start();
        try {
            await().atMost(PATIENCE).until(() -> "SENT".equals(ledger.statusOf(key)));
            publish(moderated(commentId, "art", 1, Outcome.APPROVED, "Late", "Wait for me", null));
            awaitAllConsumed();
            assertThat(lateHooks.all("/hook", commentId)).hasSize(1);
        } finally {
            lateHooks.stop();
        }
    }

    @Test
    void mailsOverTheRateLimitOfOneRecipientAreDroppedCountedAndLoggedWithoutTheAddress(CapturedOutput output) {
        String email = uniqueAddress("chatty");
        confirmed(email);
        double droppedBefore = droppedOverRateLimit();
        List<String> comments = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            comments.add("c-" + UUID.randomUUID());
            publish(moderated(comments.get(i), "a", 1, Outcome.APPROVED, "Chatty", "Comment " + i, email));
        }
        // five go out; the two over the limit are dropped for good, not postponed to pile up
        await().atMost(PATIENCE)
                .until(() -> comments.stream()
                                .filter(c -> {
                                    OutboxEntry entry = ledger.find(mailKey("comment-published", c, email)
                                                    .id())
                                            .block();
                                    return entry != null
                                            && "CANCELLED".equals(entry.status().name())
                                            && "dropped: rate limit".equals(entry.lastError());
                                })
                                .count()
                        == 2);
        await().atMost(PATIENCE).until(() -> mailsTo(email).size() >= 5);
        assertThat(mailsTo(email)).hasSize(5);
        assertThat(droppedOverRateLimit() - droppedBefore).isEqualTo(2.0);
        assertThat(serviceLog(output))
                .contains("A mail (comment-published) was dropped: its recipient is over the " + "rate limit")
                .doesNotContain(email);
    }

    private double droppedOverRateLimit() {
        String metrics = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .build()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return metrics.lines()
                .filter(line ->
                        line.startsWith("notification_mail_dropped_total{") && line.contains("reason=\"rate-limit\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void failedWebhookDeliveryIsListedForAdminsAndCanBeRedriven() {
        String commentId = "c-" + UUID.randomUUID();
        hooks.failing(true);
        publish(moderated(commentId, "art", 1, Outcome.REJECTED, "Spam", "Spam", null));
        DeliveryKey key = DeliveryKey.of("comment.rejected", commentId + ":1", Channel.WEBHOOK, hooks.url("/flaky"));
        await().atMost(PATIENCE).until(() -> "FAILED".equals(ledger.statusOf(key)));
        assertThat(hooks.all("/flaky", commentId)).hasSize(8);

        client().get()
                .uri("/api/notifications/webhook-deliveries?status=FAILED")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentTypeCompatibleWith("application/problem+json");
        client().get()
                .uri("/api/notifications/webhook-deliveries?status=FAILED")
                .header("Authorization", "Bearer wrong")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        client().get()
                .uri("/api/notifications/webhook-deliveries?status=NOPE")
                .header("Authorization", "Bearer " + admin())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("status");
        client().get()
                .uri("/api/notifications/webhook-deliveries?status=FAILED")
                .header("Authorization", "Bearer " + admin())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.deliveries[?(@.id == '" + key.id() + "')].status")
                .isEqualTo("FAILED")
                .jsonPath("$.deliveries[?(@.id == '" + key.id() + "')].lastError")
                .isEqualTo("HTTP 500");

        hooks.failing(false);
        client().post()
                .uri("/api/notifications/webhook-deliveries/" + key.id() + "/redrive")
                .header("Authorization", "Bearer " + admin())
                .exchange()
                .expectStatus()
                .isAccepted();
        await().atMost(PATIENCE).until(() -> "SENT".equals(ledger.statusOf(key)));
        assertThat(hooks.all("/flaky", commentId)).hasSize(9);
        client().post()
                .uri("/api/notifications/webhook-deliveries/" + key.id() + "/redrive")
                .header("Authorization", "Bearer " + admin())
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        client().post()
                .uri("/api/notifications/webhook-deliveries/nope/redrive")
                .header("Authorization", "Bearer " + admin())
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    // --- the admin API: who may use it, webhooks registered through it -------------------------------------

    /** The credentials of the authorization matrix; {@code null}: no Authorization header. */
    enum Caller {
        ANONYMOUS,
        EXPIRED,
        WRONG_SIGNATURE,
        NO_EXPIRY,
        OTHER_ISSUER,
        OTHER_AUDIENCE,
        NO_ROLE,
        LOWER_CASE_ROLE,
        MODERATOR,
        ADMIN,
        KEYCLOAK_ADMIN;

        @Nullable
        String token() {
            return switch (this) {
                case ANONYMOUS -> null;
                case EXPIRED -> Tokens.expired("late@tests");
                case WRONG_SIGNATURE -> Tokens.wronglySigned("forger@tests");
                case NO_EXPIRY -> Tokens.withoutExpiry("forever@tests");
                case OTHER_ISSUER -> Tokens.ofAnotherIssuer("elsewhere@tests");
                case OTHER_AUDIENCE -> Tokens.forAnotherService("moderation@tests");
                case NO_ROLE -> Tokens.withoutRole("reader@tests");
                case LOWER_CASE_ROLE ->
                    Tokens.token(Tokens.KEY, "lower@tests", List.of("admin"), Duration.ofMinutes(5));
                case MODERATOR -> Tokens.moderator("moderator@tests");
                case ADMIN -> Tokens.admin("admin@tests");
                case KEYCLOAK_ADMIN -> Tokens.keycloak("kc-admin@tests", List.of("ADMIN"));
            };
        }
    }

    /** One admin request and what an admin gets (proving the request got past security). */
    record AdminCall(String method, String uri, @Nullable String body, int adminStatus) {}

    @Test
    void everyAdminEndpointNeedsAValidTokenWithTheAdminRole() {
        List<AdminCall> calls = List.of(
                new AdminCall("GET", "/api/notifications/webhook-deliveries?status=FAILED", null, 200),
                new AdminCall("POST", "/api/notifications/webhook-deliveries/nope/redrive", null, 404),
                new AdminCall("GET", "/api/notifications/webhooks", null, 200),
                new AdminCall("POST", "/api/notifications/webhooks", "{\"url\":\"ftp://nope\"}", 422),
                new AdminCall("DELETE", "/api/notifications/webhooks/nope", null, 404),
                new AdminCall("GET", "/api/notifications/anything-else", null, 404));
        Map<String, Integer> expected = new java.util.TreeMap<>();
        Map<String, Integer> actual = new java.util.TreeMap<>();
        for (AdminCall call : calls) {
            for (Caller caller : Caller.values()) {
                String key = call.method() + " " + call.uri() + " as " + caller;
                int wanted = switch (caller) {
                    case ANONYMOUS, EXPIRED, WRONG_SIGNATURE, NO_EXPIRY, OTHER_ISSUER, OTHER_AUDIENCE -> 401;
                    case NO_ROLE, LOWER_CASE_ROLE, MODERATOR -> 403;
                    case ADMIN, KEYCLOAK_ADMIN -> call.adminStatus();
                };
                expected.put(key, wanted);
                var request = client().method(org.springframework.http.HttpMethod.valueOf(call.method()))
                        .uri(call.uri());
                String token = caller.token();
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                if (call.body() != null) {
                    request.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                            .bodyValue(call.body());
                }
                var result = request.exchange().expectBody(String.class).returnResult();
                actual.put(key, result.getStatus().value());
                if (wanted == 401 || wanted == 403) {
                    assertThat(result.getResponseHeaders().getContentType())
                            .as(key)
                            .hasToString("application/problem+json");
                    assertThat(result.getResponseBody()).as(key).contains("\"status\":" + wanted);
                    assertThat(result.getResponseHeaders().getFirst("WWW-Authenticate"))
                            .as(key)
                            .startsWith("Bearer");
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void readersLinksNeedNoToken() {
        // A bad link is the controller's 400 page, not a 401: the links are authorised by their own signature.
        client().get()
                .uri("/notifications/confirm?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        client().post()
                .uri("/notifications/confirm?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        client().get()
                .uri("/notifications/unsubscribe?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        client().post()
                .uri("/notifications/unsubscribe?token=forged")
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("List-Unsubscribe=One-Click")
                .exchange()
                .expectStatus()
                .isBadRequest();
        // Anything else is closed.
        client().get().uri("/notifications/other").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void webhookRegisteredThroughTheApiGetsSignedCloudEventsUntilRemoved() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver(freePort());
        receiver.start();
        try {
            String url = receiver.url("/registered");
            var created = client().post()
                    .uri("/api/notifications/webhooks")
                    .header("Authorization", "Bearer " + admin())
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("url", url, "events", List.of("comment.published"), "description", "CRM"))
                    .exchange()
                    .expectStatus()
                    .isCreated()
                    .expectBody(String.class)
                    .returnResult();
            var json = JSON.readTree(created.getResponseBody());
            String id = json.get("id").asString();
            String secret = json.get("secret").asString();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
            assertThat(created.getResponseHeaders().getLocation()).hasToString("/api/notifications/webhooks/" + id);

            // Listed with the configured ones; no secret anywhere in the list.
            client().get()
                    .uri("/api/notifications/webhooks")
                    .header("Authorization", "Bearer " + admin())
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.webhooks[?(@.id == '" + id + "')].readOnly")
                    .isEqualTo(false)
                    .jsonPath("$.webhooks[?(@.id == '" + id + "')].description")
                    .isEqualTo("CRM")
                    .jsonPath("$.webhooks[?(@.id == 'config-0')].readOnly")
                    .isEqualTo(true)
                    .jsonPath("$.webhooks[?(@.id == 'config-0')].url")
                    .isEqualTo(hooks.url("/hook"));
            client().get()
                    .uri("/api/notifications/webhooks")
                    .header("Authorization", "Bearer " + admin())
                    .exchange()
                    .expectBody(String.class)
                    .value(body ->
                            assertThat(body).doesNotContain(secret, HOOK_SECRET).doesNotContain("\"secret\""));

            String commentId = "c-" + UUID.randomUUID();
            publish(moderated(commentId, "art", 1, Outcome.APPROVED, "Hooked", "Registered hook", null));
            WebhookReceiver.Request request =
                    await().atMost(PATIENCE).until(() -> receiver.find("/registered", commentId), r -> r != null);
            var event = JSON.readTree(request.body());
            assertThat(event.get("type").asString()).isEqualTo("dev.talkback.comment.published");
            assertThat(event.get("data").get("commentId").asString()).isEqualTo(commentId);
            String signature = request.header("Webhook-Signature");
            long t = Long.parseLong(signature.replaceAll("^t=(\\d+),v1=[0-9a-f]+$", "$1"));
            assertThat(signature).isEqualTo(signatureHeader(secret, t, request.body()));
            assertThat(request.header("Webhook-Id"))
                    .isEqualTo(DeliveryKey.of("comment.published", commentId + ":1", Channel.WEBHOOK, url)
                            .id());

            // Not subscribed to rejections.
            String rejected = "c-" + UUID.randomUUID();
            publish(moderated(rejected, "art", 1, Outcome.REJECTED, "Hooked", "Nope", null));

            client().delete()
                    .uri("/api/notifications/webhooks/" + id)
                    .header("Authorization", "Bearer " + admin())
                    .exchange()
                    .expectStatus()
                    .isNoContent();
            client().delete()
                    .uri("/api/notifications/webhooks/config-0")
                    .header("Authorization", "Bearer " + admin())
                    .exchange()
                    .expectStatus()
                    .isEqualTo(409);
            String afterRemoval = "c-" + UUID.randomUUID();
            publish(moderated(afterRemoval, "art", 1, Outcome.APPROVED, "Hooked", "Too late", null));
            awaitAllConsumed();
            assertThat(ledger.statusOf(DeliveryKey.of("comment.rejected", rejected + ":1", Channel.WEBHOOK, url)))
                    .isNull();
            assertThat(ledger.statusOf(DeliveryKey.of("comment.published", afterRemoval + ":1", Channel.WEBHOOK, url)))
                    .isNull();
            assertThat(receiver.all("/registered", commentId)).hasSize(1);
        } finally {
            receiver.stop();
        }
    }

    @Test
    void webhookStoredByAnotherInstanceIsInEffectWithinTheRefreshInterval() {
        WebhookReceiver receiver = new WebhookReceiver(freePort());
        receiver.start();
        try {
            String url = receiver.url("/elsewhere");
            String id = "other-instance-" + UUID.randomUUID();
            // What another instance's POST stores, written straight to MongoDB: this instance did not see the call.
            mongo.insert(
                            new org.bson.Document("_id", id)
                                    .append("url", url)
                                    .append("secret", "secret-from-elsewhere-0123")
                                    .append("events", List.of())
                                    .append("createdAt", new java.util.Date()),
                            "webhooks")
                    .block(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> client().get()
                            .uri("/api/notifications/webhooks")
                            .header("Authorization", "Bearer " + admin())
                            .exchange()
                            .expectBody()
                            .jsonPath("$.webhooks[?(@.id == '" + id + "')].url")
                            .isEqualTo(url));
            String commentId = "c-" + UUID.randomUUID();
            publish(moderated(commentId, "art", 1, Outcome.APPROVED, "Elsewhere", "Seen everywhere", null));
            WebhookReceiver.Request request =
                    await().atMost(PATIENCE).until(() -> receiver.find("/elsewhere", commentId), r -> r != null);
            long t = Long.parseLong(request.header("Webhook-Signature").replaceAll("^t=(\\d+),.*$", "$1"));
            assertThat(request.header("Webhook-Signature"))
                    .isEqualTo(signatureHeader("secret-from-elsewhere-0123", t, request.body()));
            client().delete()
                    .uri("/api/notifications/webhooks/" + id)
                    .header("Authorization", "Bearer " + admin())
                    .exchange()
                    .expectStatus()
                    .isNoContent();
        } finally {
            receiver.stop();
        }
    }

    @Test
    void invalidWebhookRegistrationsGet422NamingTheField() {
        record Case(Map<String, Object> body, String field) {}
        List<Case> cases = List.of(
                new Case(Map.of("url", "ftp://hooks.example/x"), "url"),
                new Case(Map.of("url", "not a url"), "url"),
                new Case(Map.of("url", "/relative/hook"), "url"),
                new Case(Map.of("secret", "0123456789abcdef"), "url"),
                new Case(Map.of("url", "https://user:pw@hooks.example/x"), "url"),
                new Case(Map.of("url", "https://hooks.example/x", "secret", "too-short"), "secret"),
                new Case(
                        Map.of(
                                "url",
                                "https://hooks.example/x",
                                "events",
                                List.of("comment.published", "comment.deleted")),
                        "events[1]"),
                new Case(Map.of("url", "https://hooks.example/x", "description", "two\nlines"), "description"),
                new Case(Map.of("url", hooks.url("/hook")), "url"));
        for (Case bad : cases) {
            client().post()
                    .uri("/api/notifications/webhooks")
                    .header("Authorization", "Bearer " + admin())
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue(bad.body())
                    .exchange()
                    .expectStatus()
                    .isEqualTo(422)
                    .expectHeader()
                    .contentTypeCompatibleWith("application/problem+json")
                    .expectBody()
                    .jsonPath("$.errors.length()")
                    .isEqualTo(1)
                    .jsonPath("$.errors[0].field")
                    .isEqualTo(bad.field())
                    .jsonPath("$.errors[0].message")
                    .isNotEmpty();
        }
        // The same URL twice: the second is refused.
        String url = "https://hooks.example/twice-" + UUID.randomUUID();
        client().post()
                .uri("/api/notifications/webhooks")
                .header("Authorization", "Bearer " + admin())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", url, "secret", "a-long-enough-secret"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.secret")
                .doesNotExist();
        client().post()
                .uri("/api/notifications/webhooks")
                .header("Authorization", "Bearer " + admin())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", url))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("url")
                .jsonPath("$.errors[0].message")
                .isEqualTo("is already registered");
        // Clean up: the host does not exist.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var registered = JSON.readTree(client().get()
                            .uri("/api/notifications/webhooks")
                            .header("Authorization", "Bearer " + admin())
                            .exchange()
                            .expectBody(String.class)
                            .returnResult()
                            .getResponseBody())
                    .get("webhooks");
            for (var webhook : registered) {
                if (webhook.get("url").asString().equals(url)) {
                    client().delete()
                            .uri("/api/notifications/webhooks/"
                                    + webhook.get("id").asString())
                            .header("Authorization", "Bearer " + admin())
                            .exchange()
                            .expectStatus()
                            .isNoContent();
                    return true;
                }
            }
            return false;
        });
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static String admin() {
        return Tokens.admin("admin@tests");
    }

    /**
     * Marks addresses as confirmed, as their owners' press on the confirmation page does: for scenarios about
     * something else than the double opt-in, whose authors must get their mail.
     */
    void confirmed(String... emails) {
        for (String email : emails) {
            recipients.confirm(addressKeys.of(email)).block(Duration.ofSeconds(10));
        }
    }

    /** The key of a mail to an address, as the service records it. */
    DeliveryKey mailKey(String kind, String about, String email) {
        return DeliveryKey.mail(kind, about, addressKeys.of(email));
    }

    WebTestClient client() {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
    }

    /** The path and query of a public link, to call this instance (the public URL is a made-up host). */
    static String relative(String publicLink) {
        return publicLink.substring("https://comments.news.example".length());
    }

    static String link(String text, String marker) {
        int at = text.indexOf(marker);
        assertThat(at).as("link %s in %s", marker, text).isPositive();
        int start = text.lastIndexOf("https://", at);
        int end = at;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    static CommentModerated withParent(CommentModerated event, @Nullable String parentId, boolean notifyReplies) {
        return new CommentModerated(
                event.eventId(),
                event.occurredAt(),
                event.commentId(),
                event.articleId(),
                event.revision(),
                event.outcome(),
                event.human(),
                event.reasons(),
                event.publicReason(),
                new PublicComment(
                        parentId,
                        event.comment().authorName(),
                        null,
                        event.comment().text(),
                        event.comment().submittedAt()),
                new AuthorContact(
                        event.contact().email(), notifyReplies, event.contact().notifyPublished()));
    }

    static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String text(MimeMessage mail) {
        try {
            return findPart(mail.getContent(), "text/plain");
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String html(MimeMessage mail) {
        try {
            return findPart(mail.getContent(), "text/html");
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static long sentDate(MimeMessage mail) {
        try {
            return mail.getSentDate().getTime();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static List<String> digestTexts() {
        return mailsTo("moderators@news.example").stream()
                .map(NotificationFlowScenarios::text)
                .toList();
    }

    static CommentModerated moderated(
            String commentId,
            String articleId,
            int revision,
            Outcome outcome,
            String authorName,
            String text,
            @Nullable String email) {
        return new CommentModerated(
                UUID.randomUUID(),
                Instant.now(),
                commentId,
                articleId,
                revision,
                outcome,
                revision > 1,
                List.of(new Reason("pipeline.passed", "No rule objected to this comment.")),
                null,
                new PublicComment(null, authorName, null, text, Instant.now()),
                email == null ? null : new AuthorContact(email, false, true));
    }

    /** The same decision from an author who did not tick "Notify me when my comment is published". */
    static CommentModerated notAskingForMail(CommentModerated event) {
        return new CommentModerated(
                event.eventId(),
                event.occurredAt(),
                event.commentId(),
                event.articleId(),
                event.revision(),
                event.outcome(),
                event.human(),
                event.reasons(),
                event.publicReason(),
                event.comment(),
                new AuthorContact(event.contact().email(), event.contact().notifyReplies(), false));
    }

    void publish(CommentModerated event) {
        publish(event, json -> {});
    }

    void publish(CommentModerated event, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode json = JSON.valueToTree(event);
        change.accept(json);
        var record = new ProducerRecord<String, byte[]>(
                Topics.COMMENTS_MODERATED, event.commentId(), JSON.writeValueAsBytes(json));
        record.headers().add("__TypeId__", EventTypes.COMMENT_MODERATED.getBytes(StandardCharsets.UTF_8));
        send(record);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException("Could not publish the test event", ex);
        }
    }

    /** What the service logged; GreenMail's own lines (it logs the addresses it creates mailboxes for) left out. */
    static String serviceLog(CapturedOutput output) {
        return String.join(
                "\n",
                output.getAll()
                        .lines()
                        .filter(line -> !line.contains("c.icegreen."))
                        .toList());
    }

    static String uniqueAddress(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@readers.example";
    }

    static List<MimeMessage> mailsTo(String address) {
        return greenMail
                .findReceivedMessages(user -> user.getEmail().equalsIgnoreCase(address), message -> true)
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
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(Topics.COMMENTS_MODERATED);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topic.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("notification-service")
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            ends.forEach((partition, end) -> {
                OffsetAndMetadata done = committed.get(partition);
                assertThat(done == null ? 0 : done.offset())
                        .as("committed offset of %s", partition)
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
        return addresses == null
                ? List.of()
                : Arrays.stream(addresses).map(Address::toString).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
