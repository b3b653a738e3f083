package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.EventTypes;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.Tokens;
import dev.talkback.support.privacy.AddressKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service end to end on a real broker and store: submissions in, stored decisions and events out. Subclasses
 * choose where Kafka and MongoDB come from (embedded, or Testcontainers when Docker is there); they pass the
 * addresses as {@code spring.kafka.bootstrap-servers} and {@code spring.mongodb.uri}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "moderation.max-links=2",
            "moderation.banned-words=casino,viagra",
            "moderation.topic-partitions=2",
            "moderation.retry.max-retries=2",
            // no DNS here; the spam model scores but decides nothing (EngineModerationTests covers both)
            "moderation.dns.enabled=false",
            "moderation.spam.approve-below=1.0",
            "moderation.spam.reject-from=1.0",
            "moderation.retry.initial-interval=100ms",
            "moderation.retry.max-interval=200ms",
            // the local signing key is accepted with the local profile only; the key itself is random (below)
            "spring.profiles.active=local"
        })
@AutoConfigureWebTestClient(timeout = "30s") // the 5 s default is too short for a cold JVM on a loaded CI machine
abstract class ModerationFlowTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void signingKey(DynamicPropertyRegistry registry) {
        registry.add("moderation.security.local-signing-key", () -> Tokens.KEY);
        registry.add("moderation.privacy.address-secret", () -> "flow-tests-" + UUID.randomUUID());
    }

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Autowired
    ModeratedComments comments;

    @Autowired
    CommentClients clients;

    @Autowired
    AddressKeys keys;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    AutomaticModeration moderation;

    @Autowired
    HumanModeration human;

    @Autowired
    WebTestClient web;

    @LocalManagementPort
    int managementPort;

    private KafkaTemplate<String, CommentSubmitted> submissions;

    @BeforeEach
    void createProducer() {
        // the same serializer and type mapping as comment-service
        var factory = new DefaultKafkaProducerFactory<String, CommentSubmitted>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                JacksonJsonSerializer.class,
                "spring.json.type.mapping",
                EventTypes.JSON_TYPE_MAPPING));
        submissions = new KafkaTemplate<>(factory);
    }

    @AfterEach
    void closeProducer() {
        submissions.destroy();
    }

    @Test
    void approvesACleanCommentStoresItAndPublishesTheDecision() {
        var submitted = submission("ada@example.org", "A thaw would be welcome. See https://example.org/pact");
        send(submitted);

        var record = moderatedRecords(submitted.commentId(), 1).get(0);
        var event = read(record);

        assertThat(record.key()).isEqualTo(submitted.commentId());
        assertThat(header(record, "__TypeId__")).isEqualTo(EventTypes.COMMENT_MODERATED);
        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(event.revision()).isEqualTo(1);
        assertThat(event.human()).isFalse();
        assertThat(event.articleId()).isEqualTo(submitted.articleId());
        assertThat(event.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("pipeline.passed");
        assertThat(event.publicReason()).isNull();
        assertThat(event.contact()).isEqualTo(new CommentModerated.AuthorContact("ada@example.org", true, true));
        assertThat(event.comment())
                .isEqualTo(new CommentModerated.PublicComment(
                        null, "Ada Reader", "https://ada.example.org", submitted.text(), submitted.occurredAt()));

        var stored = comments.findById(submitted.commentId()).block(WAIT);
        assertThat(stored).isNotNull();
        assertThat(stored.author().notifyPublished()).isTrue();
        // the comment holds the key of the address only; the address, IP and user agent are kept apart, for a while
        assertThat(stored.emailKey()).isEqualTo(keys.of("ada@example.org"));
        var client = clients.of(submitted.commentId()).block(WAIT);
        assertThat(client).isNotNull();
        assertThat(client.email()).isEqualTo("ada@example.org");
        assertThat(client.clientIp()).isEqualTo("203.0.113.7");
        assertThat(client.userAgent()).isEqualTo("curl/8");
        var document = mongo.findById(submitted.commentId(), org.bson.Document.class, "comments")
                .block(WAIT);
        assertThat(document).isNotNull().doesNotContainKeys("clientIp", "userAgent");
        assertThat(document.toJson()).doesNotContain("ada@example.org", "203.0.113.7", "curl/8");
        assertThat(stored.submittedEventId()).isEqualTo(submitted.eventId().toString());
        assertThat(stored.decision().eventId()).isEqualTo(event.eventId().toString());
        assertThat(stored.decision().outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(stored.history()).containsExactly(stored.decision());

        web.get()
                .uri("/api/moderation/comments/{id}", submitted.commentId())
                .headers(h -> h.setBearerAuth(Tokens.moderator("mia")))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(submitted.commentId())
                .jsonPath("$.author.name")
                .isEqualTo("Ada Reader")
                .jsonPath("$.author.email")
                .isEqualTo("ada@example.org")
                .jsonPath("$.clientIp")
                .isEqualTo("203.0.113.7")
                .jsonPath("$.decision.outcome")
                .isEqualTo("APPROVED")
                .jsonPath("$.decision.revision")
                .isEqualTo(1)
                .jsonPath("$.decision.reasons[0].ruleId")
                .isEqualTo("pipeline.passed")
                .jsonPath("$.history.length()")
                .isEqualTo(1);
    }

    @Test
    void rejectsACommentWithABannedWord() {
        var submitted = submission("bob@example.org", "Best CASINO in town");
        send(submitted);

        var event = read(moderatedRecords(submitted.commentId(), 1).get(0));

        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(event.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("words.banned");
        assertThat(event.publicReason()).isNotBlank();
        var stored = comments.findById(submitted.commentId()).block(WAIT);
        assertThat(stored).isNotNull();
        assertThat(stored.decision().outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(stored.decision().publicReason()).isEqualTo(event.publicReason());
    }

    @Test
    void holdsACommentWithTooManyLinks() {
        var submitted =
                submission("carol@example.org", "Read https://a.example/1 and https://b.example/2 and www.c.example/3");
        send(submitted);

        var event = read(moderatedRecords(submitted.commentId(), 1).get(0));

        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(event.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("links.too-many");
    }

    @Test
    void rejectsACommentWithAnInvalidEmailAddress() {
        var submitted = submission("not-an-address@", "Perfectly polite.");
        send(submitted);

        var event = read(moderatedRecords(submitted.commentId(), 1).get(0));

        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(event.reasons()).extracting(CommentModerated.Reason::ruleId).containsExactly("email.invalid");
        assertThat(event.publicReason()).isNotBlank();
    }

    @Test
    void aRedeliveredSubmissionIsNotDecidedAgain() {
        var submitted = submission("dave@example.org", "Said twice.");
        send(submitted);
        send(submitted);

        var events = moderatedRecords(submitted.commentId(), 2).stream()
                .map(ModerationFlowTests::read)
                .toList();

        assertThat(events).hasSize(2).containsOnly(events.get(0));
        assertThat(events.get(0).revision()).isEqualTo(1);
        var stored = comments.findAll()
                .filter(c -> c.id().equals(submitted.commentId()))
                .collectList()
                .block(WAIT);
        assertThat(stored).singleElement().satisfies(comment -> {
            assertThat(comment.history()).hasSize(1);
            assertThat(comment.decision().eventId())
                    .isEqualTo(events.get(0).eventId().toString());
        });
    }

    @Test
    void aSubmissionRedeliveredAfterAModeratorsDecisionRepublishesThatDecision() {
        var submitted = submission("dora@example.org", "Said, then rejected by a moderator.");
        var automatic = moderation.moderate(submitted);
        var overridden = human.decide(
                        submitted.commentId(), HumanModeration.Action.REJECT, "off topic", null, "mia", false)
                .block(WAIT);
        assertThat(overridden).isNotNull();

        var republished = moderation.moderate(submitted);

        assertThat(automatic.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(republished)
                .isEqualTo(clients.currentDecisionEvent(overridden).block(WAIT));
        assertThat(republished.outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(republished.revision()).isEqualTo(2);
        var stored = comments.findById(submitted.commentId()).block(WAIT);
        assertThat(stored).isNotNull();
        assertThat(stored.history()).hasSize(2);
    }

    @Test
    void aConcurrentlyStoredCommentWinsOverANewDecision() {
        var submitted = submission("erin@example.org", "Raced.");
        var first = moderation.moderate(submitted);

        // another instance decided a moment later and tries to insert its own decision
        var late = ModeratedComment.decidedAutomatically(
                submitted,
                new dev.talkback.engine.Decision(
                        dev.talkback.engine.Verdict.HOLD,
                        List.of(new dev.talkback.engine.Reason("test.late", "late")),
                        null,
                        "v"),
                Instant.now(),
                UUID.randomUUID(),
                new ModerationProperties.Statements("the site's comment rules", "Write to the editors."),
                keys.of("erin@example.org"));
        var kept = moderation.insertOrLoad(late);

        assertThat(kept.decision().eventId()).isEqualTo(first.eventId().toString());
        assertThat(kept.decision().outcome()).isEqualTo(first.outcome());
        var stored = comments.findById(submitted.commentId()).block(WAIT);
        assertThat(stored).isNotNull();
        assertThat(clients.currentDecisionEvent(stored).block(WAIT)).isEqualTo(first);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndLaterRecordsAreStillDecided() {
        String poisonKey = "poison-" + UUID.randomUUID();
        byte[] poison = "{\"eventId\": this is not JSON".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMENTS_SUBMITTED, poisonKey, poison))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        var later = submission("frank@example.org", "After the poison.");
        send(later);

        var deadLetters = records(Topics.COMMENTS_SUBMITTED_DLT, poisonKey, 1);
        assertThat(deadLetters.get(0).value()).isEqualTo(poison);
        assertThat(header(deadLetters.get(0), "kafka_dlt-exception-fqcn")).contains("DeserializationException");

        var event = read(moderatedRecords(later.commentId(), 1).get(0));
        assertThat(event.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
    }

    @Test
    void answersNotFoundAsAProblemDetail() {
        web.get()
                .uri("/api/moderation/comments/{id}", "no-such-comment")
                .headers(h -> h.setBearerAuth(Tokens.moderator("mia")))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(404)
                .jsonPath("$.detail")
                .isEqualTo("No comment with id no-such-comment has been moderated.");
    }

    @Test
    void isReadyWhenKafkaAndMongoAreReachableAndExposesMetrics() {
        WebTestClient management = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .responseTimeout(WAIT)
                .build();
        management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
        management
                .get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk();
        management
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
        management
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    private static CommentSubmitted submission(String email, String text) {
        return new CommentSubmitted(
                UUID.randomUUID(),
                Instant.parse("2026-11-28T10:15:30.123Z"),
                "c-" + UUID.randomUUID(),
                "article-" + UUID.randomUUID(),
                null,
                new CommentSubmitted.Author("Ada Reader", email, "https://ada.example.org", true, true),
                text,
                "203.0.113.7",
                "curl/8");
    }

    private void send(CommentSubmitted submitted) {
        submissions
                .send(Topics.COMMENTS_SUBMITTED, submitted.commentId(), submitted)
                .join();
    }

    private List<ConsumerRecord<String, byte[]>> moderatedRecords(String commentId, int atLeast) {
        return records(Topics.COMMENTS_MODERATED, commentId, atLeast);
    }

    /** Reads the topic from the beginning until at least {@code atLeast} records with the key have arrived. */
    private List<ConsumerRecord<String, byte[]>> records(String topic, String key, int atLeast) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.size() >= atLeast;
            });
        }
        return found;
    }

    private static CommentModerated read(ConsumerRecord<String, byte[]> record) {
        return JSON.readValue(record.value(), CommentModerated.class);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
