package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real broker process twice on the same folder: slow (about 20 s), so it is one test. */
class KafkaBrokerTests {

    @TempDir
    Path tmp;

    @Test
    void runsFromTheArtifactsCarriesRecordsStopsCleanlyAndKeepsThemAcrossARestart() throws Exception {
        KafkaBroker.Settings settings = new KafkaBroker.Settings(
                tmp.resolve("kafka"),
                "localhost",
                TestSupport.freePort(),
                TestSupport.freePort(),
                TestSupport.runtimeClasspath(),
                List.of("-Xmx256m", "-XX:+UseSerialGC"));
        String topic = "comments.submitted.v1";

        KafkaBroker broker = KafkaBroker.start(settings, Duration.ofMinutes(2));
        FileTime formattedAt;
        try {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1)))
                        .all()
                        .get();
                assertThat(admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get()
                                .get(topic)
                                .partitions())
                        .hasSize(6);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            broker.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all"),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "c-1", "{\"text\":\"First!\"}"))
                        .get();
            }
            assertThat(consumeAll(broker, topic)).containsExactly("c-1={\"text\":\"First!\"}");
            formattedAt = Files.getLastModifiedTime(tmp.resolve("kafka/data/meta.properties"));
        } finally {
            assertThat(broker.stop(Duration.ofSeconds(60)))
                    .as("stopped by SIGTERM, not killed")
                    .isTrue();
        }
        assertThat(broker.process().isAlive()).isFalse();
        assertThat(broker.process().tailOfLog(200)).contains("shut down completed");

        KafkaBroker again = KafkaBroker.start(settings, Duration.ofMinutes(2));
        try {
            assertThat(Files.getLastModifiedTime(tmp.resolve("kafka/data/meta.properties")))
                    .as("not formatted again")
                    .isEqualTo(formattedAt);
            assertThat(consumeAll(again, topic)).containsExactly("c-1={\"text\":\"First!\"}");
        } finally {
            assertThat(again.stop(Duration.ofSeconds(60))).isTrue();
        }
    }

    private static List<String> consumeAll(KafkaBroker broker, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.key() + "=" + record.value());
                }
                return !received.isEmpty();
            });
            return received;
        }
    }
}
