package dev.talkback.notification.privacy;

import dev.talkback.events.PrivacyErasure;
import dev.talkback.events.PrivacyExportRequested;
import dev.talkback.events.Topics;
import dev.talkback.notification.NotificationProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes what a person asked for with their link, for every service holding data by address (this one included,
 * for the erasure): {@code PrivacyExportRequested} keyed by export id, {@code PrivacyErasure} keyed by erasure id.
 * Completes only when Kafka took the record ({@code acks=all}) within {@code notification.privacy.publish-timeout}, so
 * a page never says "being erased" for an erasure nobody will apply. The address is never logged.
 */
@Component
class PrivacyEvents {

    private static final Logger log = LoggerFactory.getLogger(PrivacyEvents.class);

    private final KafkaTemplate<String, Object> kafka;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    PrivacyEvents(KafkaTemplate<String, Object> kafka, NotificationProperties properties) {
        this.kafka = kafka;
        this.timeout = properties.privacy().publishTimeout();
    }

    Mono<Void> exportRequested(UUID exportId, String address) {
        return send(
                Topics.PRIVACY_EXPORTS,
                exportId,
                new PrivacyExportRequested(UUID.randomUUID(), clock.instant(), exportId, address),
                "Export");
    }

    Mono<Void> erasure(UUID erasureId, String address) {
        return send(
                Topics.PRIVACY_ERASURE,
                erasureId,
                new PrivacyErasure(UUID.randomUUID(), clock.instant(), erasureId, address),
                "Erasure");
    }

    private Mono<Void> send(String topic, UUID id, Object event, String what) {
        // send() may block for metadata up to max.block.ms: keep it off the event loop
        return Mono.fromFuture(() -> kafka.send(topic, id.toString(), event))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout)
                .doOnNext(result -> log.info("{} {} requested", what, id))
                .doOnError(ex -> log.warn(
                        "{} {} NOT requested, Kafka did not take it ({})",
                        what,
                        id,
                        ex.getClass().getName()))
                .then();
    }
}
