package dev.talkback.notification.privacy;

import dev.talkback.events.PrivacyErasure;
import dev.talkback.events.Topics;
import dev.talkback.notification.PersonalData.Person;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Applies an erasure to this service's own data, on {@code privacy.erasure.v1} like every other service (group
 * {@code notification-service}: one instance applies each), whichever instance took the request: one code path.
 * Idempotent by construction: a redelivered or repeated erasure finds nothing more to erase, so nothing about it is
 * kept (least of all the address). A failure (MongoDB unreachable) throws, and the error handler retries the record.
 */
@Component
class PrivacyErasures {

    private static final Logger log = LoggerFactory.getLogger(PrivacyErasures.class);

    private final PersonalRecords records;

    PrivacyErasures(PersonalRecords records) {
        this.records = records;
    }

    @KafkaListener(id = "privacy-erasures", idIsGroup = false, topics = Topics.PRIVACY_ERASURE)
    void onErasure(PrivacyErasure erasure) {
        String address = erasure.email().strip();
        if (address.isEmpty()) {
            log.warn("Erasure {}: no address, nothing to erase", erasure.erasureId());
            return;
        }
        Person person = records.person(address);
        Map<String, Long> erased = records.erase(person);
        log.info("Erasure {} applied: records changed per collection {}", erasure.erasureId(), erased);
    }
}
