package dev.talkback.moderation.comments;

import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.EventTypes;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/** Submissions for the tests that hand comments straight to {@link AutomaticModeration}, and events for the others. */
final class TestComments {

    private TestComments() {}

    /** A comment by "Ada Reader" from the address, through curl. */
    static CommentSubmitted submitted(String article, String email, String text, @Nullable String ip) {
        return submitted(article, "Ada Reader", email, null, text, ip);
    }

    /** A comment by the named author, with their website, from the address, through curl. */
    static CommentSubmitted submitted(
            String article, String name, String email, @Nullable String website, String text, @Nullable String ip) {
        return new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                article,
                null,
                new CommentSubmitted.Author(name, email, website, false),
                text,
                ip,
                "curl/8");
    }

    /**
     * A producer of events as the other services send them (the same serializer and type mapping); destroy it after
     * use.
     */
    static <V> KafkaTemplate<String, V> producer(String bootstrapServers) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                JacksonJsonSerializer.class,
                "spring.json.type.mapping",
                EventTypes.JSON_TYPE_MAPPING)));
    }

    /** The offset the service's consumer group committed on the record's partition (0: none yet). */
    static long committed(String bootstrapServers, RecordMetadata record) throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            var offset = admin.listConsumerGroupOffsets("moderation-service")
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(new TopicPartition(record.topic(), record.partition()));
            return offset == null ? 0 : offset.offset();
        }
    }

    /** A new author's address. */
    static String author() {
        return "a-" + UUID.randomUUID() + "@example.org";
    }

    /** A new article's id. */
    static String article() {
        return "article-" + UUID.randomUUID();
    }

    /** Eight random letters, to tell texts apart. */
    static String marker() {
        StringBuilder out = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
