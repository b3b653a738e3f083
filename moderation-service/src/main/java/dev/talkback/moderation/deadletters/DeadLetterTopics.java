package dev.talkback.moderation.deadletters;

import dev.talkback.moderation.ModerationProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Blocking Kafka access to the dead-letter topics (callers run it on a bounded-elastic thread). Reading uses a
 * short-lived consumer per request with {@code assign} and {@code seek} and no consumer group, so listing commits
 * nothing and moves no group's offsets; each read stops at the end offsets seen when it began, or at
 * {@code moderation.dead-letters.read-timeout}. Re-driving produces raw bytes (key, value and headers exactly as
 * dead-lettered) with the service's producer settings ({@code acks=all}, idempotent).
 */
@Component
class DeadLetterTopics implements DisposableBean {

    /** Headers the dead-letter recoverer (and the deserialiser) added: not carried back to the original topic. */
    private static final List<String> DEAD_LETTER_HEADER_PREFIXES =
            List.of("kafka_dlt-", "springDeserializerException");

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final DefaultKafkaProducerFactory<byte[], byte[]> producerFactory;
    private final KafkaTemplate<byte[], byte[]> producer;
    private final ModerationProperties properties;

    DeadLetterTopics(
            ConsumerFactory<?, ?> consumers, ProducerFactory<?, ?> producers, ModerationProperties properties) {
        Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // listing a topic that does not exist (yet) must not create it
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumerConfig = Map.copyOf(config);
        Map<String, Object> producerConfig = new HashMap<>(producers.getConfigurationProperties());
        producerConfig.remove(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG);
        producerConfig.remove(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producerFactory =
                new DefaultKafkaProducerFactory<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.producer = new KafkaTemplate<>(producerFactory);
        this.properties = properties;
    }

    /** One page of dead letters of {@code topics}, in id order, after {@code after} (exclusive). */
    Page read(List<String> topics, @Nullable DeadLetterId after, int limit) {
        long deadline =
                System.nanoTime() + properties.deadLetters().readTimeout().toNanos();
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (var consumer = consumer()) {
            for (TopicPartition partition : partitions(consumer, topics)) {
                var id = new DeadLetterId(partition.topic(), partition.partition(), 0);
                if (after != null && id.compareTo(new DeadLetterId(after.topic(), after.partition(), 0)) < 0) {
                    continue;
                }
                long from = after != null
                                && after.topic().equals(partition.topic())
                                && after.partition() == partition.partition()
                        ? after.offset() + 1
                        : 0;
                boolean finished = readPartition(
                        consumer, partition, from, Long.MAX_VALUE, limit - found.size(), deadline, found::add);
                if (!finished) {
                    // the page is full or time is up: the client goes on from the last record returned
                    return new Page(found, true);
                }
            }
        }
        return new Page(found, false);
    }

    /** The records of these ids that exist (an id whose record is gone or never was is absent). */
    Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> fetch(Collection<DeadLetterId> ids) {
        long deadline =
                System.nanoTime() + properties.deadLetters().readTimeout().toNanos();
        Map<TopicPartition, TreeMap<Long, DeadLetterId>> wanted = new LinkedHashMap<>();
        ids.forEach(id -> wanted.computeIfAbsent(new TopicPartition(id.topic(), id.partition()), tp -> new TreeMap<>())
                .put(id.offset(), id));
        Map<DeadLetterId, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
        try (var consumer = consumer()) {
            Set<TopicPartition> existing = Set.copyOf(partitions(
                    consumer,
                    wanted.keySet().stream()
                            .map(TopicPartition::topic)
                            .distinct()
                            .toList()));
            for (var entry : wanted.entrySet()) {
                if (!existing.contains(entry.getKey())) {
                    continue;
                }
                var offsets = entry.getValue();
                readPartition(
                        consumer,
                        entry.getKey(),
                        offsets.firstKey(),
                        offsets.lastKey(),
                        Integer.MAX_VALUE,
                        deadline,
                        record -> {
                            var id = offsets.get(record.offset());
                            if (id != null) {
                                found.put(id, record);
                            }
                        });
            }
        }
        return found;
    }

    /**
     * Produces the dead letter back to its source topic, same key, value and headers less the dead-letter ones, and
     * waits for the acknowledgement. The partition is the key's, as for the original producer (the dead-letter topic
     * has the partition count of its source).
     */
    RecordMetadata redrive(DeadLetterId id, ConsumerRecord<byte[], byte[]> record)
            throws InterruptedException, ExecutionException, TimeoutException {
        var out = new ProducerRecord<byte[], byte[]>(id.sourceTopic(), null, record.key(), record.value());
        for (Header header : record.headers()) {
            if (DEAD_LETTER_HEADER_PREFIXES.stream().noneMatch(header.key()::startsWith)) {
                out.headers().add(header);
            }
        }
        out.headers()
                .add(DeadLetters.REDRIVEN_FROM_HEADER, id.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return producer.send(out)
                .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getRecordMetadata();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(consumerConfig);
    }

    /** The partitions of the topics that exist, in id order. */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos =
                    consumer.partitionsFor(topic, properties.deadLetters().readTimeout());
            if (infos != null) {
                infos.stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                        .forEach(partitions::add);
            }
        }
        return partitions;
    }

    /**
     * Reads one partition from {@code from} to {@code to} (inclusive) or its end offset as of now, whichever is first,
     * handing at most {@code max} records to {@code sink}. True when it got to the end; false when {@code max} records
     * were handed over before the end, or the deadline passed.
     */
    private static boolean readPartition(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            long from,
            long to,
            int max,
            long deadline,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        var single = List.of(partition);
        long begin = consumer.beginningOffsets(single).getOrDefault(partition, 0L);
        long end =
                Math.min(consumer.endOffsets(single).getOrDefault(partition, 0L), to == Long.MAX_VALUE ? to : to + 1);
        long start = Math.max(from, begin);
        if (start >= end) {
            return true;
        }
        if (max <= 0) {
            return false;
        }
        consumer.assign(single);
        consumer.seek(partition, start);
        int handed = 0;
        while (consumer.position(partition) < end) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            for (var record : consumer.poll(POLL).records(partition)) {
                if (record.offset() >= end) {
                    return true;
                }
                sink.accept(record);
                if (++handed == max) {
                    return record.offset() + 1 >= end;
                }
            }
        }
        return true;
    }

    @Override
    public void destroy() {
        producerFactory.destroy();
    }

    /**
     * Records read, and whether more may follow them.
     */
    record Page(List<ConsumerRecord<byte[], byte[]>> records, boolean more) {}
}
