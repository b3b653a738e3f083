package dev.talkback.notification.privacy;

import dev.talkback.notification.PersonalData;
import dev.talkback.notification.PersonalData.Person;
import dev.talkback.notification.delivery.DeliveryKey;
import dev.talkback.support.privacy.AddressKeys;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Everything this service holds about an address, through every {@link PersonalData} bean: notification-service's
 * part of an export, and its erasure. Blocking.
 */
@Component
class PersonalRecords {

    /** Subjects lead to subjects (comments to the digests listing them); more rounds than that find nothing new. */
    private static final int MAX_ROUNDS = 4;

    private final List<PersonalData> parts;
    private final AddressKeys keys;

    PersonalRecords(List<PersonalData> parts, AddressKeys keys) {
        this.parts = parts;
        this.keys = keys;
    }

    /**
     * The person with this address: the keys it is stored under (the HMAC key and the SHA-256 of before), and every
     * subject the parts know to be about them, asked until no part names a new one.
     */
    Person person(String address) {
        Person person = new Person(address, List.of(keys.of(address), DeliveryKey.legacyHash(address)), Set.of());
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Set<String> found = new HashSet<>();
            for (PersonalData part : parts) {
                found.addAll(part.subjectsOf(person));
            }
            if (person.subjects().containsAll(found)) {
                break;
            }
            person = person.with(found);
        }
        return person;
    }

    /** Every record held about the person, each naming the collection it comes from first. */
    List<Map<String, Object>> export(Person person) {
        return parts.stream()
                .flatMap(part -> part.export(person).stream().map(record -> {
                    Map<String, Object> named = new LinkedHashMap<>();
                    named.put("collection", part.name());
                    named.putAll(record);
                    return named;
                }))
                .toList();
    }

    /** Erases the person from every part; how many records each part changed. */
    Map<String, Long> erase(Person person) {
        Map<String, Long> changed = new LinkedHashMap<>();
        for (PersonalData part : parts) {
            changed.merge(part.name(), part.erase(person), Long::sum);
        }
        return changed;
    }
}
