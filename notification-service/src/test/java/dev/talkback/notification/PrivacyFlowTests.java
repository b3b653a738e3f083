package dev.talkback.notification;

import static dev.talkback.notification.NotificationFlowScenarios.awaitSingleMailTo;
import static dev.talkback.notification.NotificationFlowScenarios.greenMail;
import static dev.talkback.notification.NotificationFlowScenarios.link;
import static dev.talkback.notification.NotificationFlowScenarios.mailsTo;
import static dev.talkback.notification.NotificationFlowScenarios.moderated;
import static dev.talkback.notification.NotificationFlowScenarios.relative;
import static dev.talkback.notification.NotificationFlowScenarios.text;
import static dev.talkback.notification.NotificationFlowScenarios.uniqueAddress;
import static dev.talkback.notification.NotificationFlowScenarios.withParent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.CommentModerated.PublicComment;
import dev.talkback.events.CommentReported;
import dev.talkback.events.EventTypes;
import dev.talkback.events.PrivacyErasure;
import dev.talkback.events.PrivacyExportPart;
import dev.talkback.events.PrivacyExportRequested;
import dev.talkback.events.Topics;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.notification.delivery.DeliveryStatus;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.notification.subscription.Recipients;
import dev.talkback.support.privacy.AddressKeys;
import dev.talkback.testsupport.EmbeddedMongo;
import dev.talkback.testsupport.HostileInputs;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.bson.Document;
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
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The readers' privacy rights end to end, on the module's real parts: the embedded Kafka broker, mongo-java-server,
 * GreenMail (real SMTP): a request mails one link, and no second one that day; the link's page acts on nothing; the
 * export gathers this service's records and moderation-service's parts (published here as moderation-service does) and
 * is shown only to its address's link; the erasure leaves nothing of the address, its keys, its comments' text or its
 * name in any collection; old unsubscribe links still work; the per-client limit; hostile input never fails the
 * service. Each request comes "through a proxy" ({@code X-Forwarded-For} from a trusted 127.0.0.1), each test from
 * its own client address, so that the per-client limit counts per test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "notification.kafka.topic-partitions=2",
            "notification.site.name=Daily Example",
            "notification.site.comment-url=https://news.example/articles/{articleId}#comment-{commentId}",
            "notification.mail.from=Daily Example <comments@news.example>",
            "notification.links.secret=" + PrivacyFlowTests.LINK_SECRET,
            "notification.links.public-url=https://comments.news.example",
            "notification.privacy.address-secret=test-address-secret-0123456789",
            "notification.privacy.client-ip.header=X-Forwarded-For",
            "notification.privacy.client-ip.trusted-proxies=127.0.0.1,::1",
            "notification.privacy.export-max-size=4KB",
            "notification.kafka.retry.initial-interval=200ms",
            "notification.kafka.retry.max-interval=1s",
            "notification.digest.moderators=moderators@news.example",
            "notification.digest.interval=1s",
            "notification.outbox.poll-interval=100ms",
            "notification.mail.retry.initial-backoff=200ms",
            "notification.mail.retry.max-backoff=500ms",
            "notification.webhooks.retry.initial-backoff=200ms",
            "notification.webhooks.retry.max-backoff=400ms",
            "notification.webhooks.retry.max-attempts=100",
            // the local profile lets webhooks go to this machine's plain-http receiver
            "spring.profiles.active=local",
            "spring.mail.properties.mail.smtp.connectiontimeout=2000",
            "spring.mail.properties.mail.smtp.timeout=2000"
        })
@EmbeddedKafka(count = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class PrivacyFlowTests {

    static final String LINK_SECRET = "test-link-secret-0123456789";

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EmbeddedMongo MONGO = EmbeddedMongo.start();
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> MONGO.uri("notification"));
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> NotificationFlowScenarios.SMTP_PORT);
        registry.add("notification.webhooks.configured[0].url", () -> NotificationFlowScenarios.hooks.url("/privacy"));
        registry.add("notification.webhooks.configured[0].secret", () -> "privacy-hook-secret");
    }

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @LocalServerPort
    int port;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    AddressKeys addressKeys;

    @Autowired
    Recipients recipients;

    @Autowired
    Outbox ledger;

    private KafkaProducer<String, byte[]> producer;
    /** This test's client address, as the proxy names it. */
    private String client;

    @BeforeEach
    void connect() {
        if (!greenMail.isRunning()) {
            greenMail.start();
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        client = nextClient();
    }

    @AfterEach
    void disconnect() {
        producer.close(Duration.ofSeconds(5));
    }

    // --- asking for a link --------------------------------------------------------------------------------------

    @Test
    void aRequestMailsExactlyOneLinkAndASecondRequestThatDaySendsNone(CapturedOutput output) {
        String email = uniqueAddress("asker");

        requestLink(email)
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("If this is your address, a link is on its way"));
        MimeMessage mail = awaitSingleMailTo(email);
        assertThat(NotificationFlowScenarios.subject(mail))
                .isEqualTo("Your data on Daily Example: a link to see or erase it");
        String body = text(mail);
        assertThat(body)
                .contains("someone, maybe you, asked Daily Example", "you can ignore this mail")
                .contains("https://comments.news.example/privacy?token=p1.");
        assertThat(link(body, "/privacy?token=")).doesNotContainIgnoringCase(email.substring(0, 5));

        // the same address again, in another spelling, from another client, and as the page's form: no second mail
        client = nextClient();
        requestLink(email.toUpperCase(Locale.ROOT)).expectStatus().isAccepted();
        client = nextClient();
        clientCall()
                .post()
                .uri("/api/privacy/requests")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("email=" + email)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("Check your mail", "a link is on its way"));
        // recorded once: the later requests found it and recorded nothing to send
        assertThat(privacyMailsTo(email)).isEqualTo(1);
        assertThat(mailsTo(email)).hasSize(1);
        assertThat(NotificationFlowScenarios.serviceLog(output))
                .contains("Privacy link requested: mail recorded")
                .doesNotContainIgnoringCase(email);
    }

    @Test
    void anAddressThatStoppedEveryMailOfTheSiteCanStillAskForItsLink() {
        // "stop every mail" (the confirmation request's link) stops notifications, not what a person asks for now
        String email = uniqueAddress("stopped");
        clientCall()
                .post()
                .uri("/notifications/unsubscribe?token="
                        + NotificationFlowScenarios.signedLink("UNSUBSCRIBE|all|" + addressKeys.of(email)))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(recipients.state(email).unsubscribedFrom("reply")).isTrue();

        requestLink(email).expectStatus().isAccepted();
        assertThat(NotificationFlowScenarios.subject(awaitSingleMailTo(email))).startsWith("Your data on ");
    }

    @Test
    void aPrivacyMailOfThePreviousWindowLessThanAnIntervalAgoCountsToo() {
        String recent = uniqueAddress("recent");
        String older = uniqueAddress("older");
        long window =
                Math.floorDiv(Instant.now().toEpochMilli(), Duration.ofHours(24).toMillis());
        storeSentPrivacyMail(recent, window - 1, Instant.now().minus(Duration.ofHours(1)));
        storeSentPrivacyMail(older, window - 1, Instant.now().minus(Duration.ofHours(25)));

        requestLink(recent).expectStatus().isAccepted();
        requestLink(older).expectStatus().isAccepted();

        awaitSingleMailTo(older);
        assertThat(privacyMailsTo(recent)).isEqualTo(1); // the stored one only
        assertThat(mailsTo(recent)).isEmpty();
    }

    @Test
    void aBadRequestIsRefusedAsAProblemAndMailsNobody() {
        for (String bad : List.of(
                "{\"email\":\"not an address\"}",
                "{\"email\":\"a@readers.example, b@readers.example\"}",
                "{\"email\":\"Eve <eve@readers.example>\"}",
                "{\"email\":\"eve@readers.example\\r\\nBcc: x@readers.example\"}",
                "{\"email\":42}",
                "{}")) {
            client = nextClient();
            clientCall()
                    .post()
                    .uri("/api/privacy/requests")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(bad)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(422)
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class)
                    .value(problem -> assertThat(problem).as(bad).contains("\"field\":\"email\""));
        }
        client = nextClient();
        jsonRequest("not json").expectStatus().isBadRequest();
        client = nextClient();
        jsonRequest("{\"email\":\"" + "a".repeat(3000) + "@readers.example\"}")
                .expectStatus()
                .isEqualTo(413)
                .expectBody(String.class)
                .value(problem -> assertThat(problem).contains("2048 bytes"));
        client = nextClient();
        clientCall()
                .post()
                .uri("/api/privacy/requests")
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("ada@readers.example")
                .exchange()
                .expectStatus()
                .isEqualTo(415);
        client = nextClient();
        clientCall()
                .post()
                .uri("/api/privacy/requests")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("email=not+an+address")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("That is not an address", "<form"));
        assertThat(greenMail.findReceivedMessages(user -> user.getEmail().startsWith("eve@"), message -> true))
                .isEmpty();
    }

    @Test
    void aClientOverItsLimitGets429WithRetryAfterAndOtherClientsDoNot() {
        for (int i = 0; i < 5; i++) {
            requestLink(uniqueAddress("limit")).expectStatus().isAccepted();
        }
        requestLink(uniqueAddress("limit"))
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists("Retry-After");
        clientCall()
                .post()
                .uri("/api/privacy/requests")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("email=" + uniqueAddress("limit"))
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML);
        // counted before the body is read: a hostile body is refused as over the limit too
        jsonRequest("{\"email\":").expectStatus().isEqualTo(429);

        client = nextClient();
        requestLink(uniqueAddress("limit")).expectStatus().isAccepted();
    }

    // --- the link's page ----------------------------------------------------------------------------------------

    @Test
    void theLinksPageOffersBothButtonsAndItsGetDoesNothing() {
        String email = uniqueAddress("viewer");
        publish(moderated("c-" + UUID.randomUUID(), "a", 1, Outcome.APPROVED, "Viv", "Hello there", email));
        awaitContact(email);
        String token = tokenFromMail(email);

        String page = clientCall()
                .get()
                .uri("/privacy?token=" + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Cache-Control", "no-store")
                .expectHeader()
                .valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader()
                .valueMatches("Content-Security-Policy", ".*default-src 'none'.*frame-ancestors 'none'.*")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(page)
                .contains("<form method=\"post\" action=\"/privacy/export?token=" + token + "\">")
                .contains("<form method=\"post\" action=\"/privacy/erasure?token=" + token + "\">")
                .contains("This cannot be undone", "[deleted]", "name=\"confirm\" value=\"yes\" required");
        // the GET (what a link scanner does) made no export and erased nothing
        assertThat(mongo.count(Query.query(Criteria.where("addressKey").is(addressKeys.of(email))), "privacy_exports")
                        .block(Duration.ofSeconds(10)))
                .isZero();
        assertThat(contactsOf(email)).isOne();

        clientCall()
                .get()
                .uri("/privacy")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(form -> assertThat(form)
                        .contains("<form method=\"post\" action=\"/api/privacy/requests\">", "name=\"email\""));
        clientCall()
                .get()
                .uri("/privacy?token=p1.forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        String expired = privacyToken(email, Instant.now().minusSeconds(1));
        for (String uri :
                List.of("/privacy?token=" + expired, "/privacy/export/" + UUID.randomUUID() + "?token=" + expired)) {
            clientCall().get().uri(uri).exchange().expectStatus().isEqualTo(410);
        }
        clientCall()
                .post()
                .uri("/privacy/export?token=" + expired)
                .exchange()
                .expectStatus()
                .isEqualTo(410);
        clientCall()
                .post()
                .uri("/privacy/erasure?token=" + expired)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("confirm=yes")
                .exchange()
                .expectStatus()
                .isEqualTo(410);
        assertThat(contactsOf(email)).isOne();
    }

    @Test
    void thePrivacyPathsNeedNoBearerTokenAndEverythingElseStaysClosed() {
        clientCall().get().uri("/privacy").exchange().expectStatus().isOk();
        clientCall()
                .post()
                .uri("/privacy/export?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        clientCall()
                .post()
                .uri("/privacy/erasure?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        clientCall()
                .get()
                .uri("/privacy/export/" + UUID.randomUUID() + "?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        clientCall()
                .get()
                .uri("/privacy/export/" + UUID.randomUUID() + ".json?token=forged")
                .exchange()
                .expectStatus()
                .isBadRequest();
        clientCall().get().uri("/privacy/other").exchange().expectStatus().isUnauthorized();
        clientCall()
                .get()
                .uri("/api/privacy/requests")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        clientCall().delete().uri("/privacy").exchange().expectStatus().isUnauthorized();
    }

    // --- export -------------------------------------------------------------------------------------------------

    @Test
    void theExportGathersThisServicesRecordsAndModerationsPartsForItsAddressOnly() throws Exception {
        String email = uniqueAddress("exporter");
        String commentId = "c-" + UUID.randomUUID();
        publish(withParent(
                moderated(commentId, "export-article", 1, Outcome.APPROVED, "Exa", "My words", email), null, true));
        awaitContact(email);
        recipients.confirm(addressKeys.of(email)).block(Duration.ofSeconds(10));
        String token = tokenFromMail(email);

        String location = clientCall()
                .post()
                .uri("/privacy/export?token=" + token)
                .exchange()
                .expectStatus()
                .isSeeOther()
                .returnResult(String.class)
                .getResponseHeaders()
                .getLocation()
                .toString();
        assertThat(location).matches("/privacy/export/[0-9a-f-]{36}\\?token=.+");
        UUID exportId = UUID.fromString(location.substring("/privacy/export/".length(), location.indexOf('?')));
        clientCall()
                .get()
                .uri(location)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(page -> assertThat(page)
                        .contains("Your data is being prepared", "<meta http-equiv=\"refresh\" content=\"3\">"));
        PrivacyExportRequested requested = awaitExportRequest(exportId);
        assertThat(requested.email()).isEqualTo(email);

        // the same link pressed again: the same export, asked for once
        assertThat(clientCall()
                        .post()
                        .uri("/privacy/export?token=" + token)
                        .exchange()
                        .expectStatus()
                        .isSeeOther()
                        .returnResult(String.class)
                        .getResponseHeaders()
                        .getLocation()
                        .toString())
                .isEqualTo(location);

        // moderation-service answers in two parts (the last one delivered twice); stray parts are ignored
        publishPart(new PrivacyExportPart(
                UUID.randomUUID(),
                Instant.now(),
                exportId,
                "moderation-service",
                0,
                false,
                "[{\"commentId\":\"" + commentId + "\",\"text\":\"My words\"}]"));
        PrivacyExportPart last = new PrivacyExportPart(
                UUID.randomUUID(), Instant.now(), exportId, "moderation-service", 1, true, "[{\"ban\":null}]");
        publishPart(last);
        publishPart(last);
        publishPart(new PrivacyExportPart(
                UUID.randomUUID(), Instant.now(), exportId, "evil-service", 0, true, "[{\"planted\":true}]"));
        publishPart(new PrivacyExportPart(
                UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "moderation-service", 0, true, "[]"));

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(clientCall()
                                .get()
                                .uri(location)
                                .exchange()
                                .expectBody(String.class)
                                .returnResult()
                                .getResponseBody())
                        .contains("Your data is ready", ".json?token="));
        EntityExchangeResult<byte[]> download = clientCall()
                .get()
                .uri("/privacy/export/" + exportId + ".json?token=" + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader()
                .valueEquals("Content-Disposition", "attachment; filename=\"data-" + exportId + ".json\"")
                .expectHeader()
                .valueEquals("Cache-Control", "no-store")
                .expectBody()
                .returnResult();
        JsonNode export = JSON.readTree(download.getResponseBody());
        assertThat(export.get("address").asString()).isEqualTo(email);
        assertThat(export.get("complete").asBoolean()).isTrue();
        assertThat(export.get("exportedAt").asString()).isNotBlank();
        assertThat(export.get("moderation-service").toString())
                .isEqualTo("[{\"commentId\":\"" + commentId + "\",\"text\":\"My words\"},{\"ban\":null}]");
        assertThat(export.has("evil-service")).isFalse();
        List<String> collections = new ArrayList<>();
        export.get("notification-service")
                .forEach(r -> collections.add(r.get("collection").asString()));
        assertThat(collections).contains("recipients", "comment_contacts", "outbox");
        assertThat(export.get("notification-service").toString())
                .contains("\"commentId\":\"" + commentId + "\"", "\"notifyReplies\":true", "\"kind\":\"privacy\"")
                .doesNotContain("\"html\"", "?token="); // mails are listed without their bodies

        // another address's link sees neither the page nor the data
        String stranger = uniqueAddress("stranger");
        client = nextClient();
        String otherToken = tokenFromMail(stranger);
        clientCall()
                .get()
                .uri("/privacy/export/" + exportId + "?token=" + otherToken)
                .exchange()
                .expectStatus()
                .isNotFound();
        clientCall()
                .get()
                .uri("/privacy/export/" + exportId + ".json?token=" + otherToken)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody(String.class)
                .value(body -> assertThat(body).doesNotContain(email, "My words"));
    }

    @Test
    void anExportWhosePartsDoNotArriveInTimeOrOverflowSaysSo() throws Exception {
        String email = uniqueAddress("waiting");
        String token = tokenFromMail(email);
        // an export made eleven minutes ago (export-timeout 10m), for this address, that moderation never answered
        UUID late = UUID.randomUUID();
        mongo.insert(
                        new Document("_id", late.toString())
                                .append("addressKey", addressKeys.of(email))
                                .append(
                                        "createdAt",
                                        java.util.Date.from(Instant.now().minus(Duration.ofMinutes(11))))
                                .append("services", List.of("moderation-service"))
                                .append("bytes", 0L)
                                .append("truncated", false),
                        "privacy_exports")
                .block(Duration.ofSeconds(10));
        clientCall()
                .get()
                .uri("/privacy/export/" + late + "?token=" + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(page -> assertThat(page)
                        .contains("Your data is not complete", "moderation-service", ".json?token=")
                        .doesNotContain("http-equiv=\"refresh\""));
        JsonNode partial = downloadJson(late, token);
        assertThat(partial.get("complete").asBoolean()).isFalse();
        assertThat(partial.get("incomplete").asString()).contains("no complete answer in time from moderation-service");

        // an export whose parts would exceed export-max-size (4KB here), or are not JSON arrays, leaves them out
        String location = clientCall()
                .post()
                .uri("/privacy/export?token=" + token)
                .exchange()
                .expectStatus()
                .isSeeOther()
                .returnResult(String.class)
                .getResponseHeaders()
                .getLocation()
                .toString();
        UUID exportId = UUID.fromString(location.substring("/privacy/export/".length(), location.indexOf('?')));
        String big = "[\"" + "x".repeat(3000) + "\"]";
        publishPart(
                new PrivacyExportPart(UUID.randomUUID(), Instant.now(), exportId, "moderation-service", 0, false, big));
        publishPart(
                new PrivacyExportPart(UUID.randomUUID(), Instant.now(), exportId, "moderation-service", 1, false, big));
        publishPart(new PrivacyExportPart(
                UUID.randomUUID(), Instant.now(), exportId, "moderation-service", 2, false, "{}"));
        publishPart(
                new PrivacyExportPart(UUID.randomUUID(), Instant.now(), exportId, "moderation-service", 3, true, "[]"));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(
                                downloadJson(exportId, token).path("incomplete").asString(""))
                        .contains("left out"));
        JsonNode capped = downloadJson(exportId, token);
        assertThat(capped.get("complete").asBoolean()).isFalse();
        assertThat(capped.get("moderation-service").size()).isEqualTo(1);
        clientCall()
                .get()
                .uri(location)
                .exchange()
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("not all of it", "left out"));
    }

    // --- erasure ------------------------------------------------------------------------------------------------

    @Test
    void anErasureLeavesNothingOfTheAddressInAnyCollectionAndKeepsOthersData(CapturedOutput output) throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String email = "Erased-" + marker + "@Readers.example";
        String name = "Name" + marker;
        String words = "words" + marker;
        String other = uniqueAddress("kept");
        // someone else's comment, whose author asked for replies
        String parentId = "c-" + UUID.randomUUID();
        publish(withParent(moderated(parentId, "art", 1, Outcome.APPROVED, "Kept", "Parent", other), null, true));
        recipients.confirm(addressKeys.of(other)).block(Duration.ofSeconds(10));
        // the person: a comment asking for mail (confirmation, "published"), a reply quoting them to the other
        // author, a held comment listed in the moderators' digest, webhook calls carrying name and text, a notice,
        // the link they asked for and an export
        String commentId = "c-" + UUID.randomUUID();
        publish(withParent(moderated(commentId, "art", 1, Outcome.APPROVED, name, words, email), null, true));
        awaitContact(email);
        recipients.confirm(addressKeys.of(email)).block(Duration.ofSeconds(10));
        String replyId = "c-" + UUID.randomUUID();
        publish(withParent(
                moderated(replyId, "art", 1, Outcome.APPROVED, name, words + " reply", email.toLowerCase(Locale.ROOT)),
                parentId,
                false));
        String heldId = "c-" + UUID.randomUUID();
        publish(moderated(heldId, "art", 1, Outcome.HELD, name, words + " held", email));
        publishNotice(email, name, words + " notice");
        await().atMost(PATIENCE).until(() -> mailsTo(other).stream().anyMatch(m -> text(m).contains(words)));
        await().atMost(PATIENCE)
                .until(() -> mailsTo("moderators@news.example").stream().anyMatch(m -> text(m).contains(words)));
        // the reply's author did not ask for mail about replies: its contact holds the address's key, not the address
        Document replyContact =
                mongo.findById(replyId, Document.class, "comment_contacts").block(Duration.ofSeconds(10));
        assertThat(replyContact).doesNotContainKey("email").containsEntry("emailKey", addressKeys.of(email));
        // a document under the key of before (an unsubscribe from before the HMAC keys)
        String legacy = DeliveryKey.legacyHash(email);
        mongo.insert(new Document("_id", legacy).append("unsubscribed", List.of("reply")), "recipients")
                .block(Duration.ofSeconds(10));
        String token = tokenFromMail(email);
        clientCall()
                .post()
                .uri("/privacy/export?token=" + token)
                .exchange()
                .expectStatus()
                .isSeeOther();
        await().atMost(PATIENCE).until(() -> everything().stream().anyMatch(d -> d.contains(marker)));

        // without the box ticked nothing happens (a scanner that submits forms, a slip)
        clientCall()
                .post()
                .uri("/privacy/erasure?token=" + token)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("")
                .exchange()
                .expectStatus()
                .isBadRequest();
        clientCall()
                .post()
                .uri("/privacy/erasure?token=" + token)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("confirm=yes")
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("Your data is being erased"));
        PrivacyErasure erasure = awaitErasure(email);

        List<String> forbidden =
                List.of(marker.toLowerCase(Locale.ROOT), addressKeys.of(email), legacy, email.toLowerCase(Locale.ROOT));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(everything())
                        .allSatisfy(document ->
                                assertThat(document.toLowerCase(Locale.ROOT)).doesNotContain(forbidden)));
        // the other person's data stays; the reply mail they got keeps its key (so it is never sent again), not
        // the reply's words
        assertThat(contactsOf(other)).isOne();
        assertThat(recipients.state(other).confirmed()).isTrue();
        OutboxEntry replyMail = ledger.find(DeliveryKey.mail("reply", replyId, addressKeys.of(other))
                        .id())
                .block(Duration.ofSeconds(10));
        assertThat(replyMail).isNotNull();
        assertThat(replyMail.mail().text()).isEmpty();
        assertThat(recipients.state(email).confirmed()).isFalse();

        // moderation-service republishes the erased reply as "[deleted]": the other author is not told again
        publish(new CommentModerated(
                UUID.randomUUID(),
                Instant.now(),
                replyId,
                "art",
                2,
                Outcome.APPROVED,
                true,
                List.of(new CommentModerated.Reason(PrivacyErasure.ERASED_RULE, "Erased at its author's request.")),
                null,
                new PublicComment(parentId, "[deleted]", null, "", Instant.now()),
                null));
        // the erasure applied again (a redelivery) finds nothing more and fails nothing
        publishErasure(erasure);
        awaitConsumed(Topics.COMMENTS_MODERATED, Topics.PRIVACY_ERASURE);
        assertThat(mailsTo(other).stream()
                        .filter(m -> NotificationFlowScenarios.subject(m).startsWith("New reply")))
                .hasSize(1);
        assertThat(everything())
                .allSatisfy(document ->
                        assertThat(document.toLowerCase(Locale.ROOT)).doesNotContain(forbidden));
    }

    @Test
    void theRevisionThatErasesACommentStillReachesTheWebhooksWhenTheErasureIsAppliedAfterIt() {
        String email = uniqueAddress("webhook-erased");
        String commentId = "c-" + UUID.randomUUID();
        publish(withParent(moderated(commentId, "art", 1, Outcome.APPROVED, "Wendy", "Her words", email), null, true));
        awaitContact(email);
        // moderation-service's erasing revision comes first, while the receiver is unreachable (its call waits)
        Query erasingCall = Query.query(Criteria.where("channel")
                .is("WEBHOOK")
                .and("subject")
                .regex(java.util.regex.Pattern.quote(commentId + ":2") + "$"));
        NotificationFlowScenarios.hooks.stop();
        try {
            publish(new CommentModerated(
                    UUID.randomUUID(),
                    Instant.now(),
                    commentId,
                    "art",
                    2,
                    Outcome.APPROVED,
                    true,
                    List.of(new CommentModerated.Reason(PrivacyErasure.ERASED_RULE, "Erased at its author's request.")),
                    null,
                    new PublicComment(null, "[deleted]", null, "", Instant.now()),
                    null));
            await().atMost(PATIENCE)
                    .until(() -> mongo.exists(erasingCall, OutboxEntry.class).block(Duration.ofSeconds(10)));
            // then this service applies the erasure: the calls about the comment with its words are cancelled, not
            // the one that says it is erased
            publishErasure(new PrivacyErasure(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), email));
            awaitConsumed(Topics.PRIVACY_ERASURE);
            await().atMost(PATIENCE).until(() -> contactsOf(email) == 0);
            assertThat(mongo.findOne(erasingCall, OutboxEntry.class)
                            .block(Duration.ofSeconds(10))
                            .status())
                    .isNotEqualTo(DeliveryStatus.CANCELLED);
        } finally {
            NotificationFlowScenarios.hooks.start();
        }
        await().atMost(PATIENCE)
                .until(() -> NotificationFlowScenarios.hooks.all("/privacy", commentId).stream()
                        .anyMatch(call -> call.answered() < 300
                                && call.body().contains("\"revision\":2")
                                && call.body().contains("[deleted]")));
    }

    // --- keys of before -----------------------------------------------------------------------------------------

    @Test
    void unsubscribeLinksAndConfirmationsFromBeforeTheHmacKeysStillHold() {
        String email = uniqueAddress("old-reader");
        String legacy = DeliveryKey.legacyHash(email);
        // confirmed back then, under the key of before: the mail goes
        mongo.insert(
                        new Document("_id", legacy).append("confirmedAt", java.util.Date.from(Instant.now())),
                        "recipients")
                .block(Duration.ofSeconds(10));
        String first = "c-" + UUID.randomUUID();
        publish(moderated(first, "a", 1, Outcome.APPROVED, "Old", "Before", email));
        awaitSingleMailTo(email);

        // an unsubscribe link from a mail of before, signed over the SHA-256 of the address: one click still works
        String oldLink = "/notifications/unsubscribe?token="
                + NotificationFlowScenarios.signedLink("UNSUBSCRIBE|comment-published|" + legacy);
        clientCall()
                .post()
                .uri(oldLink)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("List-Unsubscribe=One-Click")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("Unsubscribed"));
        String second = "c-" + UUID.randomUUID();
        publish(moderated(second, "a", 1, Outcome.APPROVED, "Old", "After", email));
        await().atMost(PATIENCE)
                .until(() -> "CANCELLED"
                        .equals(ledger.statusOf(DeliveryKey.mail("comment-published", second, addressKeys.of(email)))));
        assertThat(mailsTo(email)).hasSize(1);
        // new writes by address use the new key; nothing new was written under the old one but the unsubscribe
        assertThat(mongo.findById(addressKeys.of(email), Document.class, "recipients")
                        .block(Duration.ofSeconds(10)))
                .isNull();
    }

    @Test
    void aMailRecordedUnderTheKeyOfBeforeIsNotRecordedAgain() {
        String email = uniqueAddress("redelivered");
        recipients.confirm(addressKeys.of(email)).block(Duration.ofSeconds(10));
        String commentId = "c-" + UUID.randomUUID();
        // recorded (and sent) before the HMAC keys, under the SHA-256 of the address
        mongo.insert(
                        new Document(
                                        "_id",
                                        DeliveryKey.legacyMail("comment-published", commentId, email)
                                                .id())
                                .append("kind", "comment-published")
                                .append("channel", "MAIL")
                                .append("subject", commentId)
                                .append("eventId", UUID.randomUUID().toString())
                                .append("status", "SENT")
                                .append("attempts", 1)
                                .append("createdAt", java.util.Date.from(Instant.now()))
                                .append("nextAttemptAt", java.util.Date.from(Instant.now())),
                        "outbox")
                .block(Duration.ofSeconds(10));

        // the event again (a redelivery, a re-approval) after the change of keys
        publish(moderated(commentId, "a", 2, Outcome.APPROVED, "Red", "Again", email));
        awaitConsumed(Topics.COMMENTS_MODERATED);
        assertThat(ledger.statusOf(DeliveryKey.mail("comment-published", commentId, addressKeys.of(email))))
                .isNull();
        assertThat(mailsTo(email)).isEmpty();
    }

    // --- hostile input ------------------------------------------------------------------------------------------

    @Test
    void hostileRequestsAndLinksNeverFailTheService() {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong());
        HostileInputs hostile = new HostileInputs(new Random(seed));
        List<MediaType> types = List.of(
                MediaType.APPLICATION_JSON,
                MediaType.APPLICATION_FORM_URLENCODED,
                MediaType.TEXT_PLAIN,
                MediaType.parseMediaType("application/problem+json"));
        for (int i = 0; i < 150; i++) {
            client = nextClient();
            byte[] body = switch (hostile.between(0, 4)) {
                case 0 -> HostileInputs.json(Map.of("email", hostile.string())).getBytes(StandardCharsets.UTF_8);
                case 1 -> HostileInputs.json(hostile.value(3)).getBytes(StandardCharsets.UTF_8);
                case 2 -> ("email=" + hostile.string()).getBytes(StandardCharsets.UTF_8);
                case 3 -> hostile.withInvalidUtf8(HostileInputs.json(Map.of("email", hostile.string())));
                default -> hostile.randomBytes(hostile.between(0, 3000));
            };
            var result = clientCall()
                    .post()
                    .uri("/api/privacy/requests")
                    .contentType(hostile.pick(types))
                    .bodyValue(body)
                    .exchange()
                    .expectBody(String.class)
                    .returnResult();
            int status = result.getStatus().value();
            assertThat(status).as("seed %d, request %d", seed, i).isIn(202, 400, 413, 415, 422);
            MediaType type = result.getResponseHeaders().getContentType();
            if (status >= 400 && type != null && !type.isCompatibleWith(MediaType.TEXT_HTML)) {
                assertThat(type).as("seed %d, request %d", seed, i).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            }
        }
        String valid = tokenFromMail(uniqueAddress("fuzz"));
        for (int i = 0; i < 100; i++) {
            String token = switch (hostile.between(0, 3)) {
                case 0 -> hostile.ascii(hostile.between(0, 1200));
                case 1 ->
                    "p1."
                            + Base64.getUrlEncoder()
                                    .withoutPadding()
                                    .encodeToString(hostile.randomBytes(hostile.between(0, 400)));
                case 2 -> valid.substring(0, hostile.between(0, valid.length()));
                default -> valid + hostile.ascii(hostile.between(1, 5));
            };
            String query = "?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
            for (String uri : List.of(
                    "/privacy" + query,
                    "/privacy/export/" + UUID.randomUUID() + query,
                    "/privacy/export/" + hostile.pick("x", "--", "0-0", "ffff") + query)) {
                int status = clientCall()
                        .get()
                        .uri(uri)
                        .exchange()
                        .expectBody(String.class)
                        .returnResult()
                        .getStatus()
                        .value();
                assertThat(status).as("seed %d, GET %s", seed, uri).isLessThan(500);
            }
            for (String uri : List.of("/privacy/export" + query, "/privacy/erasure" + query)) {
                int status = clientCall()
                        .post()
                        .uri(uri)
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .bodyValue("confirm=" + hostile.pick("yes", "no", ""))
                        .exchange()
                        .expectBody(String.class)
                        .returnResult()
                        .getStatus()
                        .value();
                assertThat(status).as("seed %d, POST %s", seed, uri).isLessThan(500);
            }
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static String nextClient() {
        int n = CLIENTS.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    /** A client behind the trusted proxy (this test's address in {@code X-Forwarded-For}). */
    private WebTestClient clientCall() {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("X-Forwarded-For", client)
                .build();
    }

    private WebTestClient.ResponseSpec requestLink(String email) {
        return jsonRequest("{\"email\":\"" + email + "\"}");
    }

    private WebTestClient.ResponseSpec jsonRequest(String body) {
        return clientCall()
                .post()
                .uri("/api/privacy/requests")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** Asks for a link for the address and returns the token of the mail it gets. */
    private String tokenFromMail(String email) {
        requestLink(email).expectStatus().isAccepted();
        await().atMost(PATIENCE).until(() -> privacyMail(email) != null);
        String link = relative(link(text(privacyMail(email)), "/privacy?token="));
        return link.substring(link.indexOf("token=") + "token=".length());
    }

    private static @Nullable MimeMessage privacyMail(String email) {
        return mailsTo(email).stream()
                .filter(mail -> NotificationFlowScenarios.subject(mail).startsWith("Your data on "))
                .findFirst()
                .orElse(null);
    }

    private long privacyMailsTo(String email) {
        Long count = mongo.count(
                        Query.query(Criteria.where("kind")
                                .is("privacy")
                                .and("mail.recipientHash")
                                .is(addressKeys.of(email))),
                        OutboxEntry.class)
                .block(Duration.ofSeconds(10));
        return count == null ? 0 : count;
    }

    private void storeSentPrivacyMail(String email, long window, Instant createdAt) {
        mongo.insert(
                        new Document(
                                        "_id",
                                        DeliveryKey.mail("privacy", "window-" + window, addressKeys.of(email))
                                                .id())
                                .append("kind", "privacy")
                                .append("channel", "MAIL")
                                .append("subject", "window-" + window)
                                .append("eventId", UUID.randomUUID().toString())
                                .append("status", "SENT")
                                .append("attempts", 1)
                                .append("createdAt", java.util.Date.from(createdAt))
                                .append("nextAttemptAt", java.util.Date.from(createdAt))
                                .append(
                                        "mail",
                                        new Document("recipientHash", addressKeys.of(email))
                                                .append("listKind", "privacy")
                                                .append("requiresConfirmation", false)
                                                .append("subject", "Your data")
                                                .append("text", "")
                                                .append("html", "")),
                        "outbox")
                .block(Duration.ofSeconds(10));
    }

    private long contactsOf(String email) {
        Long count = mongo.count(Query.query(Criteria.where("emailKey").is(addressKeys.of(email))), "comment_contacts")
                .block(Duration.ofSeconds(10));
        return count == null ? 0 : count;
    }

    private void awaitContact(String email) {
        await().atMost(PATIENCE).until(() -> contactsOf(email) == 1);
    }

    /** Every document of every collection of the database, as JSON. */
    private List<String> everything() {
        List<String> documents = mongo.getCollectionNames()
                .flatMap(collection -> mongo.findAll(Document.class, collection)
                        .map(document -> collection + ": " + document.toJson()))
                .collectList()
                .block(Duration.ofSeconds(30));
        return documents == null ? List.of() : documents;
    }

    private JsonNode downloadJson(UUID exportId, String token) {
        byte[] body = clientCall()
                .get()
                .uri("/privacy/export/" + exportId + ".json?token=" + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body);
    }

    /** A privacy token as the service makes them (see LinkTokens), here to make one that has expired. */
    static String privacyToken(String address, Instant expiresAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(LINK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] key = mac.doFinal("talkback privacy links v1".getBytes(StandardCharsets.UTF_8));
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD("PRIVACY".getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(
                    ("PRIVACY|" + expiresAt.getEpochSecond() + "|" + address).getBytes(StandardCharsets.UTF_8));
            byte[] token = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, token, 0, nonce.length);
            System.arraycopy(sealed, 0, token, nonce.length, sealed.length);
            return "p1." + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void publish(CommentModerated event) {
        send(Topics.COMMENTS_MODERATED, event.commentId(), EventTypes.COMMENT_MODERATED, event);
    }

    private void publishNotice(String email, String name, String explanation) {
        String reportId = UUID.randomUUID().toString();
        send(
                Topics.COMMENTS_REPORTED,
                "c-reported-" + reportId,
                EventTypes.COMMENT_REPORTED,
                new CommentReported(
                        UUID.randomUUID(),
                        Instant.now(),
                        reportId,
                        "c-reported-" + reportId,
                        "art",
                        CommentReported.Reason.ILLEGAL_CONTENT,
                        null,
                        new CommentReported.Notice(explanation, name, email, true),
                        "198.51.100.7"));
    }

    private void publishPart(PrivacyExportPart part) {
        send(Topics.PRIVACY_EXPORT_PARTS, part.exportId().toString(), EventTypes.PRIVACY_EXPORT_PART, part);
    }

    private void publishErasure(PrivacyErasure erasure) {
        send(Topics.PRIVACY_ERASURE, erasure.erasureId().toString(), EventTypes.PRIVACY_ERASURE, erasure);
    }

    private void send(String topic, String key, String type, Object event) {
        var record = new ProducerRecord<String, byte[]>(topic, key, JSON.writeValueAsBytes(event));
        record.headers().add("__TypeId__", type.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new IllegalStateException("Could not publish the test event", ex);
        }
    }

    private PrivacyExportRequested awaitExportRequest(UUID exportId) {
        List<PrivacyExportRequested> found = new ArrayList<>();
        readTopic(Topics.PRIVACY_EXPORTS, bytes -> {
            PrivacyExportRequested event = JSON.readValue(bytes, PrivacyExportRequested.class);
            if (event.exportId().equals(exportId)) {
                found.add(event);
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private PrivacyErasure awaitErasure(String email) {
        List<PrivacyErasure> found = new ArrayList<>();
        readTopic(Topics.PRIVACY_ERASURE, bytes -> {
            PrivacyErasure event = JSON.readValue(bytes, PrivacyErasure.class);
            if (event.email().equals(email)) {
                found.add(event);
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private void readTopic(String topic, java.util.function.Predicate<byte[]> done) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "privacy-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            boolean[] finished = {false};
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> finished[0] |= done.test(r.value()));
                return finished[0];
            });
        }
    }

    /** Waits until the service committed every record of the topics: nothing is left to happen. */
    private void awaitConsumed(String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(topics))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .values()
                        .forEach(topic -> topic.partitions()
                                .forEach(p -> latest.put(
                                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                "notification-service")
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
    }
}
