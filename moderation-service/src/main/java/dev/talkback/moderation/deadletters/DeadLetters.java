package dev.talkback.moderation.deadletters;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.audit.AuditLog;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lists dead letters with what sent them there, and re-drives them once each: claim in {@code dead_letter_redrives}
 * (unique id), produce back and wait for Kafka, mark done, audit. Kafka work runs on bounded-elastic threads.
 */
@Service
class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** Added to a re-driven record: which dead letter it came from (consumers ignore it; it helps tracing). */
    static final String REDRIVEN_FROM_HEADER = "talkback-redriven-from";

    private final DeadLetterTopics topics;
    private final ReactiveMongoTemplate mongo;
    private final AuditLog audit;
    private final Clock clock;
    private final ModerationProperties properties;

    DeadLetters(
            DeadLetterTopics topics,
            ReactiveMongoTemplate mongo,
            AuditLog audit,
            Clock clock,
            ModerationProperties properties) {
        this.topics = topics;
        this.mongo = mongo;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    Mono<Listing> list(List<String> topicNames, @Nullable DeadLetterId after, int limit) {
        return Mono.fromCallable(() -> topics.read(topicNames, after, limit))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(page -> {
                    List<String> ids = page.records().stream()
                            .map(DeadLetters::idOf)
                            .map(Object::toString)
                            .toList();
                    return redrives(ids).map(done -> {
                        List<DeadLetterView> items = page.records().stream()
                                .map(record ->
                                        view(record, done.get(idOf(record).toString())))
                                .toList();
                        String next = page.more() && !items.isEmpty()
                                ? items.get(items.size() - 1).id()
                                : page.more() && after != null ? after.toString() : null;
                        return new Listing(items, next);
                    });
                });
    }

    /** Re-drives these dead letters, answering for each id in the order given (duplicates once). */
    Mono<RedriveReport> redrive(Collection<String> rawIds, boolean force, String who) {
        List<String> requested = List.copyOf(new LinkedHashSet<>(rawIds));
        Map<String, DeadLetterId> parsed = new LinkedHashMap<>();
        requested.forEach(raw -> {
            DeadLetterId id = DeadLetterId.parse(raw);
            if (id != null) {
                parsed.put(raw, id);
            }
        });
        return Mono.fromCallable(() -> topics.fetch(parsed.values()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(records -> Flux.fromIterable(requested).concatMap(raw -> {
                    DeadLetterId id = parsed.get(raw);
                    ConsumerRecord<byte[], byte[]> record = id == null ? null : records.get(id);
                    if (id == null || record == null) {
                        return Mono.just(RedriveResult.of(
                                raw,
                                Result.NOT_FOUND,
                                id == null
                                        ? "Not the id of a record of " + String.join(" or ", DeadLetterId.TOPICS) + "."
                                        : "No such record in " + id.topic()
                                                + " (never written, or deleted by retention).",
                                null));
                    }
                    return redriveOne(id, record, force, who);
                }))
                .collectList()
                .map(RedriveReport::of);
    }

    /** Re-drives every dead letter of the topic (at most {@code moderation.dead-letters.max-redrive} per request). */
    Mono<RedriveReport> redriveAll(String topic, boolean force, String who) {
        int max = properties.deadLetters().maxRedrive();
        return Mono.fromCallable(() -> topics.read(List.of(topic), null, max))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(page -> Flux.fromIterable(page.records())
                        .concatMap(record -> redriveOne(idOf(record), record, force, who))
                        .collectList()
                        .map(results -> RedriveReport.of(results).withMore(page.more())));
    }

    private Mono<RedriveResult> redriveOne(
            DeadLetterId id, ConsumerRecord<byte[], byte[]> record, boolean force, String who) {
        String original = header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        if (original != null && !original.equals(id.sourceTopic())) {
            return Mono.just(RedriveResult.of(
                    id.toString(),
                    Result.FAILED,
                    "Its original topic is " + original + ", not " + id.sourceTopic()
                            + "; it is not re-driven anywhere else.",
                    null));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var claim = new Redrive(id.toString(), Redrive.State.REDRIVING, now, who, null, 1);
        Mono<Redrive> claimed = force
                ? mongo.findAndModify(
                                Query.query(Criteria.where("_id").is(claim.id())),
                                new Update()
                                        .set("state", claim.state())
                                        .set("at", now)
                                        .set("by", who)
                                        .unset("target")
                                        .inc("count", 1),
                                FindAndModifyOptions.options().upsert(true).returnNew(false),
                                Redrive.class)
                        .defaultIfEmpty(NONE)
                : mongo.insert(claim).thenReturn(NONE);
        return claimed.flatMap(previous -> Mono.fromCallable(() -> topics.redrive(id, record))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(sent -> {
                            String target = sent.topic() + "-" + sent.partition() + "-" + sent.offset();
                            return mongo.findAndModify(
                                            Query.query(Criteria.where("_id").is(claim.id())),
                                            new Update()
                                                    .set("state", Redrive.State.REDRIVEN)
                                                    .set("target", target),
                                            FindAndModifyOptions.options().returnNew(true),
                                            Redrive.class)
                                    .flatMap(done -> audit.record(
                                                    who,
                                                    "dead-letter.redrive",
                                                    "dead-letter:" + id,
                                                    auditDetails(record, target, force))
                                            .thenReturn(done));
                        })
                        .map(done -> {
                            log.info("Re-drove dead letter {} (key {}) to {}", id, key(record), done.target());
                            return RedriveResult.of(id.toString(), Result.REDRIVEN, null, done);
                        })
                        .onErrorResume(failure -> !(failure instanceof DuplicateKeyException), failure -> {
                            String cause = NestedExceptionUtils.getMostSpecificCause(failure)
                                    .getClass()
                                    .getName();
                            log.warn("Re-driving dead letter {} failed: {}", id, cause);
                            // give the claim back, so that it can be tried again
                            Mono<?> release = previous == NONE
                                    ? mongo.remove(
                                            Query.query(Criteria.where("_id").is(claim.id())), Redrive.class)
                                    : mongo.save(previous);
                            return release.onErrorResume(e -> Mono.empty())
                                    .thenReturn(RedriveResult.of(
                                            id.toString(),
                                            Result.FAILED,
                                            "Not re-driven: " + cause + ". Try again.",
                                            null));
                        }))
                .onErrorResume(
                        DuplicateKeyException.class,
                        duplicate -> mongo.findById(claim.id(), Redrive.class)
                                .map(existing -> RedriveResult.of(
                                        id.toString(),
                                        Result.ALREADY_REDRIVEN,
                                        existing.state() == Redrive.State.REDRIVEN
                                                ? "Already re-driven; send force: true to re-drive it again."
                                                : "A re-drive began at " + existing.at()
                                                        + " and did not finish; send force: "
                                                        + "true if it did not reach " + id.sourceTopic() + ".",
                                        existing))
                                .defaultIfEmpty(RedriveResult.of(
                                        id.toString(),
                                        Result.FAILED,
                                        "Being re-driven at this moment. Try again.",
                                        null)));
    }

    /** Marks "no previous re-drive" (reactive streams carry no null). */
    private static final Redrive NONE = new Redrive("", Redrive.State.REDRIVING, Instant.EPOCH, "", null, 0);

    private static Map<String, Object> auditDetails(
            ConsumerRecord<byte[], byte[]> record, String target, boolean force) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("to", target);
        details.put("force", force);
        String key = key(record);
        if (key != null) {
            details.put("key", key);
        }
        String exception = header(record, KafkaHeaders.DLT_EXCEPTION_FQCN);
        if (exception != null) {
            details.put("exception", exception);
        }
        return details;
    }

    private Mono<Map<String, Redrive>> redrives(List<String> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), Redrive.class)
                .collectMap(Redrive::id, Function.identity());
    }

    private DeadLetterView view(ConsumerRecord<byte[], byte[]> record, @Nullable Redrive redrive) {
        int max = properties.deadLetters().maxValueChars();
        byte[] value = record.value();
        String text = value == null ? null : utf8(value);
        Long originalPartition = number(record, KafkaHeaders.DLT_ORIGINAL_PARTITION);
        Long originalTimestamp = number(record, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP);
        return new DeadLetterView(
                idOf(record).toString(),
                record.topic(),
                record.partition(),
                record.offset(),
                key(record),
                Instant.ofEpochMilli(record.timestamp()),
                new DeadLetterView.Original(
                        header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC),
                        originalPartition == null ? null : originalPartition.intValue(),
                        number(record, KafkaHeaders.DLT_ORIGINAL_OFFSET),
                        originalTimestamp == null ? null : Instant.ofEpochMilli(originalTimestamp),
                        header(record, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)),
                new DeadLetterView.Failure(
                        header(record, KafkaHeaders.DLT_EXCEPTION_FQCN),
                        truncated(header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE), max),
                        header(record, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN)),
                truncated(text, max),
                value == null ? 0 : value.length,
                text != null && text.length() > max,
                header(record, "__TypeId__"),
                redrive != null,
                redrive == null
                        ? null
                        : new DeadLetterView.RedriveView(
                                redrive.state().name(), redrive.at(), redrive.by(), redrive.target(), redrive.count()));
    }

    static DeadLetterId idOf(ConsumerRecord<?, ?> record) {
        return new DeadLetterId(record.topic(), record.partition(), record.offset());
    }

    private static @Nullable String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : utf8(record.key());
    }

    private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : utf8(header.value());
    }

    /** The recoverer writes partitions as 4-byte and offsets and timestamps as 8-byte big-endian numbers. */
    private static @Nullable Long number(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        byte[] bytes = header.value();
        return switch (bytes.length) {
            case Integer.BYTES -> (long) ByteBuffer.wrap(bytes).getInt();
            case Long.BYTES -> ByteBuffer.wrap(bytes).getLong();
            default -> {
                String text = utf8(bytes);
                try {
                    yield text == null ? null : Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    /** The text, or {@code null} when the bytes are not valid UTF-8. */
    static @Nullable String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static @Nullable String truncated(@Nullable String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // never cut a surrogate pair in two
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return CharBuffer.wrap(text, 0, end).toString();
    }

    /** One page of the list; {@code next} is the {@code after} of the next page, or {@code null} at the end. */
    record Listing(List<DeadLetterView> items, @Nullable String next) {}

    enum Result {
        REDRIVEN,
        ALREADY_REDRIVEN,
        NOT_FOUND,
        FAILED
    }

    /** The answer for one id; {@code redrive} is the stored re-drive (new, or the earlier one). */
    record RedriveResult(
            String id, Result result, @Nullable String detail, DeadLetterView.@Nullable RedriveView redrive) {

        static RedriveResult of(String id, Result result, @Nullable String detail, @Nullable Redrive redrive) {
            return new RedriveResult(
                    id,
                    result,
                    detail,
                    redrive == null
                            ? null
                            : new DeadLetterView.RedriveView(
                                    redrive.state().name(),
                                    redrive.at(),
                                    redrive.by(),
                                    redrive.target(),
                                    redrive.count()));
        }
    }

    /**
     * Counts per result and every id's answer; {@code more}: with {@code all}, the topic held more than one request
     * re-drives (send it again).
     */
    record RedriveReport(Map<Result, Long> counts, List<RedriveResult> results, boolean more) {

        static RedriveReport of(List<RedriveResult> results) {
            Map<Result, Long> counts = new LinkedHashMap<>();
            for (Result result : Result.values()) {
                counts.put(result, 0L);
            }
            counts.putAll(
                    results.stream().collect(Collectors.groupingBy(RedriveResult::result, Collectors.counting())));
            return new RedriveReport(counts, new ArrayList<>(results), false);
        }

        RedriveReport withMore(boolean more) {
            return new RedriveReport(counts, results, more);
        }
    }
}
