package dev.talkback.notification.privacy;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.events.PrivacyExportPart;
import dev.talkback.events.Topics;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData;
import dev.talkback.support.mongo.CollectionIndexes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The exports: one document per export in {@code privacy_exports} (its id, the key of the address it is for, when it
 * was made, the services it waits for, the bytes its parts take), and its parts in {@code privacy_export_parts}, one
 * document per service and part number: notification-service's own part, stored when the export is made, and the
 * parts the other services answer on {@code privacy.export-parts.v1}. Both collections forget an export after
 * {@link #RETENTION} (a TTL index; the pages and the download check the age themselves, since MongoDB removes expired
 * documents only once a minute).
 *
 * <p>A part is stored at most once (its id is export, service and number: a redelivered part changes nothing); a part
 * of an unknown or expired export, or from a service the export does not wait for, is ignored. Bounded: a part larger
 * than {@link #MAX_PART_CHARS} characters, one that is not a JSON array, and the parts beyond
 * {@code notification.privacy.export-max-size} in all are left out, and the export says that it is incomplete.
 */
@Component
class PrivacyExports implements PersonalData {

    /** How long an export and its parts are kept. */
    static final Duration RETENTION = Duration.ofHours(24);
    /**
     * The contract asks for parts of at most 256 KiB; four times that, and no part can come near MongoDB's 16 MiB
     * document limit.
     */
    static final int MAX_PART_CHARS = 1024 * 1024;
    /** The service whose part this service writes itself. */
    static final String OWN_SERVICE = "notification-service";

    private static final Logger log = LoggerFactory.getLogger(PrivacyExports.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Document("privacy_exports")
    record Export(
            @Id String id,
            String addressKey,
            Instant createdAt,
            List<String> services,
            long bytes,
            boolean truncated) {}

    @Document("privacy_export_parts")
    record Part(
            @Id String id,
            String exportId,
            String service,
            int part,
            boolean last,
            String records,
            Instant createdAt) {}

    /**
     * Where an export stands.
     *
     * @param missing   the services whose last part has not arrived (or whose parts have a gap)
     * @param timedOut  some are missing after {@code notification.privacy.export-timeout}
     * @param truncated parts were left out (too large, malformed, over the export's size limit)
     */
    record Status(List<String> missing, boolean timedOut, boolean truncated) {

        boolean complete() {
            return missing.isEmpty();
        }
    }

    private final ReactiveMongoTemplate mongo;
    private final List<String> services;
    private final Duration exportTimeout;
    private final long maxBytes;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    PrivacyExports(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.mongo = mongo;
        this.services = List.copyOf(properties.privacy().exportServices());
        this.exportTimeout = properties.privacy().exportTimeout();
        this.maxBytes = properties.privacy().exportMaxSize().toBytes();
        this.timeout = properties.timeouts().store();
    }

    /** An export is forgotten after its retention; an export is found by the key of its address on erasure. */
    @Bean
    static CollectionIndexes privacyExportIndexes() {
        return CollectionIndexes.on(
                Export.class,
                new Index().on("createdAt", Sort.Direction.ASC).expire(RETENTION),
                new Index().on("addressKey", Sort.Direction.ASC));
    }

    /** Parts are forgotten with their export, and read by export, service and number. */
    @Bean
    static CollectionIndexes privacyExportPartIndexes() {
        return CollectionIndexes.on(
                Part.class,
                new Index().on("createdAt", Sort.Direction.ASC).expire(RETENTION),
                new Index()
                        .on("exportId", Sort.Direction.ASC)
                        .on("service", Sort.Direction.ASC)
                        .on("part", Sort.Direction.ASC));
    }

    /** The export, unless unknown or past its retention. */
    Mono<Export> find(UUID exportId) {
        return mongo.findById(exportId.toString(), Export.class)
                .filter(export -> clock.instant().isBefore(export.createdAt().plus(RETENTION)));
    }

    /**
     * Makes an export with this service's own records (a JSON array); {@code false} when it exists already (the same
     * link pressed twice), which changes nothing. Blocking.
     */
    boolean create(UUID exportId, String addressKey, String ownRecords) {
        Instant now = clock.instant();
        String id = exportId.toString();
        // the part first: an export is never seen without it
        mongo.save(new Part(partId(id, OWN_SERVICE, 0), id, OWN_SERVICE, 0, true, ownRecords, now))
                .block(timeout);
        try {
            mongo.insert(new Export(id, addressKey, now, services, 0, false)).block(timeout);
            return true;
        } catch (DuplicateKeyException exists) {
            return false;
        }
    }

    /** Forgets an export whose request could not be published, so that the same link can try again. */
    Mono<Void> remove(UUID exportId) {
        return mongo.remove(query(where("exportId").is(exportId.toString())), Part.class)
                .then(mongo.remove(query(where("_id").is(exportId.toString())), Export.class))
                .then();
    }

    /** Consumes {@code privacy.export-parts.v1}: stores a service's part, once, within the export's bounds. */
    @KafkaListener(id = "privacy-export-parts", idIsGroup = false, topics = Topics.PRIVACY_EXPORT_PARTS)
    void onPart(PrivacyExportPart part) {
        Export export = find(part.exportId()).block(timeout);
        if (export == null) {
            log.info(
                    "Export {}: part {} of {} ignored, no such export (or expired)",
                    part.exportId(),
                    part.part(),
                    part.service());
            return;
        }
        if (!export.services().contains(part.service()) || part.part() < 0) {
            log.warn(
                    "Export {}: part {} of {} ignored, not a part the export waits for",
                    part.exportId(),
                    part.part(),
                    part.service());
            return;
        }
        // a part left out keeps its number, as an empty array: the export still knows when every part has come
        String records = canonicalArray(part.records());
        String id = partId(export.id(), part.service(), part.part());
        try {
            mongo.insert(new Part(
                            id,
                            export.id(),
                            part.service(),
                            part.part(),
                            part.last(),
                            records == null ? "[]" : records,
                            clock.instant()))
                    .block(timeout);
        } catch (DuplicateKeyException storedBefore) {
            return;
        }
        if (records == null) {
            log.warn(
                    "Export {}: part {} of {} left out, larger than {} characters or not a JSON array",
                    part.exportId(),
                    part.part(),
                    part.service(),
                    MAX_PART_CHARS);
            markTruncated(export.id());
            return;
        }
        long size = records.getBytes(StandardCharsets.UTF_8).length;
        Export reserved = mongo.findAndModify(
                        query(where("_id").is(export.id()).and("bytes").lte(maxBytes - size)),
                        new Update().inc("bytes", size),
                        Export.class)
                .block(timeout);
        if (reserved == null) {
            mongo.updateFirst(query(where("_id").is(id)), new Update().set("records", "[]"), Part.class)
                    .block(timeout);
            log.warn(
                    "Export {}: part {} of {} left out, the export would exceed {} bytes",
                    part.exportId(),
                    part.part(),
                    part.service(),
                    maxBytes);
            markTruncated(export.id());
        }
    }

    /** Which services' parts are all there, read from the parts' numbers (not their records). */
    Mono<Status> status(Export export) {
        Query numbers = query(where("exportId").is(export.id()));
        numbers.fields().include("service").include("part").include("last");
        return mongo.find(numbers, org.bson.Document.class, mongo.getCollectionName(Part.class))
                .collectList()
                .map(found -> {
                    Map<String, Set<Integer>> parts = new HashMap<>();
                    Map<String, Integer> lastParts = new HashMap<>();
                    for (org.bson.Document part : found) {
                        String service = part.getString("service");
                        int number = part.getInteger("part", -1);
                        parts.computeIfAbsent(service, s -> new HashSet<>()).add(number);
                        if (Boolean.TRUE.equals(part.getBoolean("last"))) {
                            lastParts.merge(service, number, Math::min);
                        }
                    }
                    List<String> missing = new ArrayList<>();
                    for (String service : export.services()) {
                        Integer last = lastParts.get(service);
                        Set<Integer> have = parts.getOrDefault(service, Set.of());
                        boolean all =
                                last != null && IntStream.rangeClosed(0, last).allMatch(have::contains);
                        if (!all) {
                            missing.add(service);
                        }
                    }
                    boolean timedOut = !missing.isEmpty()
                            && !clock.instant().isBefore(export.createdAt().plus(exportTimeout));
                    return new Status(List.copyOf(missing), timedOut, export.truncated());
                });
    }

    /**
     * The export as one JSON document, streamed part by part (an export may hold up to
     * {@code notification.privacy.export-max-size}): {@code {"address", "exportedAt", "complete", ["incomplete"],
     * "notification-service": [...], "<service>": [...]}}, each service's parts concatenated in their order.
     */
    Flux<DataBuffer> json(Export export, Status status, String address, DataBufferFactory buffers) {
        StringBuilder head = new StringBuilder("{\"address\":")
                .append(JSON.writeValueAsString(address))
                .append(",\"exportedAt\":")
                .append(JSON.writeValueAsString(export.createdAt().toString()))
                .append(",\"complete\":")
                .append(status.complete() && !status.truncated());
        if (!status.complete() || status.truncated()) {
            head.append(",\"incomplete\":").append(JSON.writeValueAsString(describe(status)));
        }
        List<String> all = new ArrayList<>();
        all.add(OWN_SERVICE);
        all.addAll(export.services());
        Flux<String> body = Flux.fromIterable(all).concatMap(service -> {
            AtomicBoolean first = new AtomicBoolean(true);
            Query parts = query(where("exportId").is(export.id()).and("service").is(service))
                    .with(Sort.by(Sort.Direction.ASC, "part"));
            return Flux.concat(
                    Mono.just("," + JSON.writeValueAsString(service) + ":["),
                    mongo.find(parts, Part.class)
                            .map(part ->
                                    part.records().substring(1, part.records().length() - 1))
                            .filter(inner -> !inner.isBlank())
                            .map(inner -> first.getAndSet(false) ? inner : "," + inner),
                    Mono.just("]"));
        });
        return Flux.concat(Mono.just(head.toString()), body, Mono.just("}\n"))
                .map(text -> buffers.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** What an incomplete export lacks, as the page and the download say it. */
    static String describe(Status status) {
        List<String> reasons = new ArrayList<>();
        if (!status.complete()) {
            reasons.add((status.timedOut() ? "no complete answer in time from " : "still waiting for ")
                    + String.join(", ", status.missing()));
        }
        if (status.truncated()) {
            reasons.add("some records were left out (too large, or malformed)");
        }
        return String.join("; ", reasons);
    }

    private void markTruncated(String exportId) {
        mongo.updateFirst(query(where("_id").is(exportId)), new Update().set("truncated", true), Export.class)
                .block(timeout);
    }

    /** The part as compact JSON if it is a JSON array within the size bound, else {@code null}. */
    private static @Nullable String canonicalArray(String records) {
        if (records.length() > MAX_PART_CHARS) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(records);
            return node != null && node.isArray() ? JSON.writeValueAsString(node) : null;
        } catch (JacksonException malformed) {
            return null;
        }
    }

    private static String partId(String exportId, String service, int part) {
        return exportId + ":" + service + ":" + part;
    }

    @Override
    public String name() {
        return "privacy_exports";
    }

    /** An export's own records are the person's data, exported already: not listed again. */
    @Override
    public List<Map<String, Object>> export(Person person) {
        return List.of();
    }

    @Override
    public long erase(Person person) {
        List<String> ids = mongo.find(query(where("addressKey").in(person.keys())), Export.class)
                .map(Export::id)
                .collectList()
                .block(timeout);
        if (ids == null || ids.isEmpty()) {
            return 0;
        }
        var parts = mongo.remove(query(where("exportId").in(ids)), Part.class).block(timeout);
        var exports = mongo.remove(query(where("_id").in(ids)), Export.class).block(timeout);
        return (parts == null ? 0 : parts.getDeletedCount()) + (exports == null ? 0 : exports.getDeletedCount());
    }
}
