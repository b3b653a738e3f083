package dev.talkback.moderation;

import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.Topics;
import dev.talkback.moderation.dns.LocalDnsServer;
import dev.talkback.testsupport.EmbeddedMongo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with security on, on an embedded KRaft broker and an in-memory mongo-java-server, with the mail-domain
 * check asking a local DNS server ({@link LocalDnsServer}); every subclass shares one application context (same
 * configuration), so the broker starts once for all of them. Tests must not depend on each other's data: each uses
 * its own article ids and addresses.
 *
 * <p>The site's spam thresholds are set to 1.0 here, so that the spam model scores every comment but rejects or holds
 * none unless a test sets an article's thresholds: the tests of bans, words, links and the moderator API judge
 * short texts full of links that the model (rightly) finds spammy. {@code EngineModerationTests} sets real
 * thresholds on its articles.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "moderation.max-links=2",
            "moderation.banned-words=casino",
            "moderation.topic-partitions=2",
            "moderation.rules-refresh=500ms",
            "moderation.republish-after=1s",
            "moderation.spam.approve-below=1.0",
            "moderation.spam.reject-from=1.0",
            "moderation.model.retrain-interval=1h",
            "moderation.dns.timeout=1s",
            // the local signing key is accepted with the local profile only; the key itself is random (below)
            "spring.profiles.active=local"
        })
@AutoConfigureWebTestClient(timeout = "30s") // the 5 s default is too short for a cold JVM on a loaded CI machine
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
public abstract class EmbeddedServiceTests {

    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    private static final EmbeddedMongo MONGO = EmbeddedMongo.start();
    protected static final LocalDnsServer DNS = new LocalDnsServer();

    /** The site secret addresses are keyed by; tests get keys from the context's {@code AddressKeys}. */
    private static final String ADDRESS_SECRET = "test-" + UUID.randomUUID();

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("moderation.security.local-signing-key", () -> Tokens.KEY);
        registry.add("moderation.privacy.address-secret", () -> ADDRESS_SECRET);
        registry.add("moderation.dns.servers", DNS::server);
        registry.add("spring.mongodb.uri", () -> MONGO.uri("moderation"));
    }

    /** This context's broker: the system property names the broker of whichever test context started last. */
    @Autowired
    private EmbeddedKafkaBroker broker;

    protected String bootstrapServers;

    @BeforeEach
    void thisContextsBroker() {
        bootstrapServers = broker.getBrokersAsString();
    }

    @Autowired
    protected WebTestClient web;

    @LocalManagementPort
    protected int managementPort;

    /** The management port's actuator: probes, metrics, the API description (for the cluster, never public). */
    protected WebTestClient management() {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    protected WebTestClient as(String token) {
        return web.mutate()
                .defaultHeaders(headers -> headers.setBearerAuth(token))
                .build();
    }

    /** Reads {@code comments.moderated.v1} from the beginning until {@code atLeast} events of the comment arrived. */
    protected List<CommentModerated> moderatedEvents(String commentId, int atLeast) {
        return events(Topics.COMMENTS_MODERATED, commentId, atLeast, CommentModerated.class);
    }

    /** Reads the topic from the beginning until {@code atLeast} events with the key arrived. */
    protected <T> List<T> events(String topic, String key, int atLeast, Class<T> type) {
        return records(topic, key, atLeast).stream()
                .map(record -> JSON.readValue(record.value(), type))
                .toList();
    }

    /** Reads the topic from the beginning until at least {@code atLeast} records with the key arrived. */
    protected List<ConsumerRecord<String, byte[]>> records(String topic, String key, int atLeast) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = consumer()) {
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

    /**
     * Every event with the key on the topic as it is now (read up to the end offsets it has when called): for "nothing
     * more was published".
     */
    protected <T> List<T> allEvents(String topic, String key, Class<T> type) {
        List<T> found = new ArrayList<>();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(JSON.readValue(record.value(), type));
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return found;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
