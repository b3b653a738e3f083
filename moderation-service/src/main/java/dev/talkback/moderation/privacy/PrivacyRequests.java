package dev.talkback.moderation.privacy;

import dev.talkback.events.PrivacyErasure;
import dev.talkback.events.PrivacyExportPart;
import dev.talkback.events.PrivacyExportRequested;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests of a person who proved to notification-service that they own an address: an export of everything this
 * service holds about it, answered in {@link PrivacyExportPart}s, and its erasure. Both are idempotent, so a redelivered
 * request is harmless: an export is answered again with parts of the same numbers and event ids (notification-service
 * keeps one per export, service and number), an erasure finds nothing more to erase. The address is never logged.
 */
@Service
class PrivacyRequests {

    private static final Logger log = LoggerFactory.getLogger(PrivacyRequests.class);

    static final String SERVICE = "moderation-service";

    /** Comments an export gives at most (the newest). */
    static final int MAX_COMMENTS = 10_000;

    /**
     * Longest one erasure may take before it fails and is retried (taking up what is left): under Kafka's default
     * {@code max.poll.interval.ms} of five minutes, so that a long erasure does not cost the consumer its partitions.
     */
    private static final Duration ERASURE_BUDGET = Duration.ofMinutes(4);

    /** Records read ahead of the parts being sent. */
    private static final int READ_AHEAD = 32;

    private final PersonalData data;
    private final KafkaTemplate<String, PrivacyExportPart> kafka;
    private final JsonMapper json;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration storeTimeout;
    private final Duration publishTimeout;

    PrivacyRequests(
            PersonalData data,
            KafkaTemplate<String, PrivacyExportPart> kafka,
            JsonMapper json,
            AuditLog audit,
            Clock clock,
            ModerationProperties properties) {
        this.data = data;
        this.kafka = kafka;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
        this.storeTimeout = properties.storeTimeout();
        this.publishTimeout = properties.publishTimeout();
    }

    /** Returns once everything is erased and the comments' new revisions are stored, so the offset follows the effect. */
    @KafkaListener(topics = Topics.PRIVACY_ERASURE)
    void onErasure(PrivacyErasure erasure) {
        PersonalData.Erased erased = data.erase(erasure.email()).block(ERASURE_BUDGET);
        if (erased == null || erased.comments() + erased.notices() == 0) {
            log.info("Erasure {}: nothing (left) to erase", erasure.erasureId());
            return;
        }
        audit.record(
                        "privacy",
                        "privacy.erasure",
                        "erasure:" + erasure.erasureId(),
                        Map.of("comments", erased.comments(), "notices", erased.notices()))
                .block(storeTimeout);
        log.info(
                "Erasure {}: {} comments and {} notices erased",
                erasure.erasureId(),
                erased.comments(),
                erased.notices());
    }

    /**
     * Answers with the records in parts numbered from 0, each sent once full (the records are read as the parts are
     * sent, never all at once); the last part says so, and with nothing held it is the only one, {@code []}.
     */
    @KafkaListener(topics = Topics.PRIVACY_EXPORTS)
    void onExport(PrivacyExportRequested request) {
        ExportParts parts = new ExportParts(ExportParts.MAX_BYTES);
        int part = 0;
        int records = 0;
        for (Object record : data.export(request.email(), MAX_COMMENTS).toIterable(READ_AHEAD)) {
            var closed = parts.add(json.writeValueAsString(record));
            if (closed.isPresent()) {
                send(request, part++, false, closed.get());
            }
            records++;
        }
        send(request, part, true, parts.finish());
        log.info("Export {}: {} records in {} parts", request.exportId(), records, part + 1);
    }

    private void send(PrivacyExportRequested request, int part, boolean last, String records) {
        // the same event id for the same part of the same export: a repeated answer is recognisably the same part
        UUID eventId = UUID.nameUUIDFromBytes(
                (request.exportId() + "/" + SERVICE + "/" + part).getBytes(StandardCharsets.UTF_8));
        var event = new PrivacyExportPart(eventId, clock.instant(), request.exportId(), SERVICE, part, last, records);
        try {
            kafka.send(Topics.PRIVACY_EXPORT_PARTS, request.exportId().toString(), event)
                    .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending part " + part + " of export " + request.exportId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not send part " + part + " of export " + request.exportId(), e);
        }
    }
}
