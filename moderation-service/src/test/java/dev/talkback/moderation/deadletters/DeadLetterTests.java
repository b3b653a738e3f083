package dev.talkback.moderation.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.EventTypes;
import dev.talkback.events.Topics;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Dead letters through the ADMIN API on the embedded broker and store, with real tokens: a poison record listed with
 * the deserialiser's exception; a dead letter of a fixable failure re-driven once, then decided by the service.
 */
class DeadLetterTests extends EmbeddedServiceTests {

    private static final String ADMIN = Tokens.admin("root-dl");

    @Test
    void listsAPoisonRecordWithTheExceptionThatDeadLetteredIt() {
        String key = "poison-" + UUID.randomUUID();
        byte[] poison = "{\"eventId\": not JSON at all".getBytes(StandardCharsets.UTF_8);
        produce(new ProducerRecord<>(Topics.COMMENTS_SUBMITTED, key.getBytes(StandardCharsets.UTF_8), poison));

        JsonNode item =
                await().atMost(WAIT).until(() -> find(Topics.COMMENTS_SUBMITTED_DLT, key), found -> found != null);

        assertThat(item.get("id").asString()).startsWith(Topics.COMMENTS_SUBMITTED_DLT + "-");
        assertThat(item.get("original").get("topic").asString()).isEqualTo(Topics.COMMENTS_SUBMITTED);
        assertThat(item.get("original").get("offset").isNumber()).isTrue();
        assertThat(item.get("original").get("consumerGroup").asString()).isEqualTo("moderation-service");
        assertThat(item.get("failure").get("exception").asString()).contains("DeserializationException");
        assertThat(item.get("failure").get("message").asString()).isNotBlank();
        assertThat(item.get("value").asString()).isEqualTo(new String(poison, StandardCharsets.UTF_8));
        assertThat(item.get("valueBytes").asInt()).isEqualTo(poison.length);
        assertThat(item.get("redriven").asBoolean()).isFalse();
        assertThat(item.get("deadLetteredAt").asString()).isNotBlank();
    }

    @Test
    void redrivesAFixableDeadLetterOnceAndTheServiceDecidesIt() {
        var submitted = new CommentSubmitted(
                UUID.randomUUID(),
                Instant.parse("2026-11-28T10:15:30.123Z"),
                "c-" + UUID.randomUUID(),
                "article-dl-" + UUID.randomUUID(),
                null,
                new CommentSubmitted.Author("Dee Letter", "dee@example.org", "https://dee.example.org", false),
                "Came back after the store recovered.",
                "203.0.113.21",
                "curl/8");
        // as the recoverer writes it after MongoDB timed out on every retry
        var record = new ProducerRecord<>(
                Topics.COMMENTS_SUBMITTED_DLT,
                0,
                submitted.commentId().getBytes(StandardCharsets.UTF_8),
                JSON.writeValueAsBytes(submitted));
        record.headers()
                .add(header("__TypeId__", EventTypes.COMMENT_SUBMITTED))
                .add(header("kafka_dlt-original-topic", Topics.COMMENTS_SUBMITTED))
                .add(new RecordHeader(
                        "kafka_dlt-original-partition",
                        ByteBuffer.allocate(4).putInt(1).array()))
                .add(new RecordHeader(
                        "kafka_dlt-original-offset",
                        ByteBuffer.allocate(8).putLong(42).array()))
                .add(header("kafka_dlt-exception-fqcn", "org.springframework.dao.DataAccessResourceFailureException"))
                .add(header("kafka_dlt-exception-cause-fqcn", "com.mongodb.MongoTimeoutException"))
                .add(header("kafka_dlt-exception-message", "Timed out while waiting for a server"));
        String id = Topics.COMMENTS_SUBMITTED_DLT + "-0-" + produce(record).offset();

        JsonNode listed = find(Topics.COMMENTS_SUBMITTED_DLT, submitted.commentId());
        assertThat(listed).isNotNull();
        assertThat(listed.get("id").asString()).isEqualTo(id);
        assertThat(listed.get("original").get("partition").asInt()).isEqualTo(1);
        assertThat(listed.get("original").get("offset").asLong()).isEqualTo(42);
        assertThat(listed.get("failure").get("cause").asString()).isEqualTo("com.mongodb.MongoTimeoutException");
        assertThat(listed.get("type").asString()).isEqualTo(EventTypes.COMMENT_SUBMITTED);

        JsonNode first =
                redrive(Map.of("ids", List.of(id, "no-such-topic-0-1", Topics.COMMENTS_SUBMITTED_DLT + "-0-999999")));
        assertThat(first.get("results").get(0).get("result").asString()).isEqualTo("REDRIVEN");
        assertThat(first.get("results").get(0).get("redrive").get("by").asString())
                .isEqualTo("root-dl");
        assertThat(first.get("results").get(1).get("result").asString()).isEqualTo("NOT_FOUND");
        assertThat(first.get("results").get(2).get("result").asString()).isEqualTo("NOT_FOUND");
        assertThat(first.get("counts").get("REDRIVEN").asInt()).isEqualTo(1);

        // decided by the service: stored, and its decision published
        var decided = moderatedEvents(submitted.commentId(), 1);
        assertThat(decided).extracting(CommentModerated::revision).containsExactly(1);
        as(ADMIN)
                .get()
                .uri("/api/moderation/comments/{id}", submitted.commentId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.text")
                .isEqualTo(submitted.text());

        // what reached the original topic: same key, value and type, no dead-letter headers
        String target = first.get("results").get(0).get("redrive").get("target").asString();
        var redriven = recordAt(target);
        assertThat(redriven.key()).isEqualTo(submitted.commentId());
        assertThat(redriven.value()).isEqualTo(record.value());
        assertThat(new String(redriven.headers().lastHeader("__TypeId__").value(), StandardCharsets.UTF_8))
                .isEqualTo(EventTypes.COMMENT_SUBMITTED);
        assertThat(redriven.headers()).noneMatch(h -> h.key().startsWith("kafka_dlt-"));

        JsonNode again = redrive(Map.of("ids", List.of(id)));
        assertThat(again.get("results").get(0).get("result").asString()).isEqualTo("ALREADY_REDRIVEN");
        JsonNode afterwards = find(Topics.COMMENTS_SUBMITTED_DLT, submitted.commentId());
        assertThat(afterwards).isNotNull();
        assertThat(afterwards.get("redriven").asBoolean()).isTrue();
        assertThat(afterwards.get("redrive").get("state").asString()).isEqualTo("REDRIVEN");

        as(ADMIN)
                .get()
                .uri(uri -> uri.path("/api/moderation/audit")
                        .queryParam("target", "dead-letter:" + id)
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(1)
                .jsonPath("$.items[0].who")
                .isEqualTo("root-dl")
                .jsonPath("$.items[0].action")
                .isEqualTo("dead-letter.redrive")
                .jsonPath("$.items[0].details.key")
                .isEqualTo(submitted.commentId());

        // force: a second re-drive on purpose; the service does not decide the comment twice
        JsonNode forced = redrive(Map.of("ids", List.of(id), "force", true));
        assertThat(forced.get("results").get(0).get("result").asString()).isEqualTo("REDRIVEN");
        assertThat(forced.get("results").get(0).get("redrive").get("count").asInt())
                .isEqualTo(2);
    }

    @Test
    void redrivesAllDeadLettersOfATopic() {
        // nothing else in this context writes to comments.moderated.v1-dlt: these are all its records
        String key = "c-" + UUID.randomUUID();
        byte[] value = "{\"not\": \"a decision the consumer could read\"}".getBytes(StandardCharsets.UTF_8);
        var record =
                new ProducerRecord<>(Topics.COMMENTS_MODERATED_DLT, 0, key.getBytes(StandardCharsets.UTF_8), value);
        record.headers()
                .add(header("__TypeId__", EventTypes.COMMENT_MODERATED))
                .add(header("kafka_dlt-original-topic", Topics.COMMENTS_MODERATED))
                .add(header("kafka_dlt-exception-fqcn", "java.lang.IllegalStateException"));
        String id = Topics.COMMENTS_MODERATED_DLT + "-0-" + produce(record).offset();

        JsonNode report = redrive(Map.of("all", true, "topic", Topics.COMMENTS_MODERATED_DLT));

        assertThat(report.get("results")).anySatisfy(result -> {
            assertThat(result.get("id").asString()).isEqualTo(id);
            assertThat(result.get("result").asString()).isEqualTo("REDRIVEN");
        });
        assertThat(report.get("more").asBoolean()).isFalse();
        var redriven = recordAt(
                report.get("results").get(0).get("redrive").get("target").asString());
        assertThat(redriven.topic()).isEqualTo(Topics.COMMENTS_MODERATED);
        assertThat(redriven.key()).isEqualTo(key);
        assertThat(redriven.value()).isEqualTo(value);

        JsonNode again = redrive(Map.of("all", true, "topic", Topics.COMMENTS_MODERATED_DLT));
        assertThat(again.get("counts").get("REDRIVEN").asInt()).isZero();
        assertThat(again.get("counts").get("ALREADY_REDRIVEN").asInt())
                .isEqualTo(report.get("results").size());
    }

    @Test
    void isForAdministratorsOnly() {
        as(Tokens.moderator("mia"))
                .get()
                .uri("/api/moderation/dead-letters")
                .exchange()
                .expectStatus()
                .isForbidden();
        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/dead-letters/redrive")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("all", true, "topic", Topics.COMMENTS_SUBMITTED_DLT))
                .exchange()
                .expectStatus()
                .isForbidden();
        web.get().uri("/api/moderation/dead-letters").exchange().expectStatus().isUnauthorized();
        web.post()
                .uri("/api/moderation/dead-letters/redrive")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ids", List.of("x")))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void rejectsBadRequestsNamingTheField() {
        as(ADMIN)
                .get()
                .uri("/api/moderation/dead-letters?topic=comments.submitted.v1")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("topic");
        as(ADMIN)
                .get()
                .uri("/api/moderation/dead-letters?after=nonsense")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("after");
        as(ADMIN)
                .post()
                .uri("/api/moderation/dead-letters/redrive")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("ids");
        as(ADMIN)
                .post()
                .uri("/api/moderation/dead-letters/redrive")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("all", true, "topic", "comments.submitted.v1"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("topic");
    }

    /** Pages through the whole list of the topic for the newest item with this key. */
    private @Nullable JsonNode find(String topic, String key) {
        JsonNode found = null;
        String after = "";
        List<String> seen = new ArrayList<>();
        do {
            String cursor = after;
            JsonNode page = JSON.readTree(as(ADMIN)
                    .get()
                    .uri(uri -> uri.path("/api/moderation/dead-letters")
                            .queryParam("topic", topic)
                            .queryParam("limit", 2)
                            .queryParam("after", cursor)
                            .build())
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody());
            for (JsonNode item : page.get("items")) {
                seen.add(item.get("id").asString());
                if (key.equals(item.get("key").asString())) {
                    found = item;
                }
            }
            after = page.get("next").isNull() ? null : page.get("next").asString();
        } while (after != null);
        assertThat(seen).doesNotHaveDuplicates();
        return found;
    }

    private JsonNode redrive(Map<String, Object> body) {
        return JSON.readTree(as(ADMIN)
                .post()
                .uri("/api/moderation/dead-letters/redrive")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    private RecordMetadata produce(ProducerRecord<byte[], byte[]> record) {
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record at {@code <topic>-<partition>-<offset>}. */
    private ConsumerRecord<String, byte[]> recordAt(String where) {
        int last = where.lastIndexOf('-');
        int before = where.lastIndexOf('-', last - 1);
        var partition =
                new TopicPartition(where.substring(0, before), Integer.parseInt(where.substring(before + 1, last)));
        long offset = Long.parseLong(where.substring(last + 1));
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(java.time.Duration.ofMillis(200)).records(partition).stream()
                        .filter(r -> r.offset() == offset)
                        .forEach(found::add);
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
