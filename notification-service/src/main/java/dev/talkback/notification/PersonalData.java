package dev.talkback.notification;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one feature of this service holds about a person, found by their address. Each feature that stores an address,
 * an address key, or what a person wrote implements it beside its collection, so that an export (GDPR Art. 15) and an
 * erasure (Art. 17) reach every collection through one list of beans, and a feature added later says here what it
 * holds. It lives in the root package because the privacy feature uses the mail and link features, which must not
 * depend on it in turn (no package cycles, see {@code ArchitectureTests}).
 *
 * <p>Blocking: called on listener threads and on bounded-elastic workers.
 */
public interface PersonalData {

    /**
     * The person an export or an erasure is about.
     *
     * @param address  the address, as they typed it
     * @param keys     the keys it is stored under: its HMAC key, then the SHA-256 of before (still found in old
     *                 documents and links)
     * @param subjects what deliveries about them are about, besides their own mail: the ids of their comments (a
     *                 reply notification to someone else quotes them), the digests that listed their comments
     */
    record Person(String address, List<String> keys, Set<String> subjects) {

        public Person {
            keys = List.copyOf(keys);
            subjects = Set.copyOf(subjects);
        }

        /** The same person, knowing more subjects. */
        public Person with(Set<String> more) {
            Set<String> all = new HashSet<>(subjects);
            all.addAll(more);
            return new Person(address, keys, all);
        }

        /**
         * A regular expression matching exactly the address, to use case-insensitively on a field that stores it as
         * typed (the same mailbox may be written {@code Ada@Example.org} or {@code ada@example.org}).
         */
        public String exactly() {
            return "^" + literal(address.strip()) + "$";
        }

        /** Without the address: a person may end up in a log. */
        @Override
        public String toString() {
            return "Person[" + subjects.size() + " subject(s)]";
        }
    }

    /**
     * Text as a regular expression that matches it literally: every character but letters and digits escaped, which
     * MongoDB's PCRE and Java's patterns both read as the character itself.
     */
    static String literal(String text) {
        StringBuilder pattern = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                pattern.append('\\');
            }
            pattern.appendCodePoint(c);
        });
        return pattern.toString();
    }

    /** The name of this part of an export, e.g. {@code recipients}: the collection it comes from. */
    String name();

    /**
     * Subjects of deliveries about the person this part knows of, given what is known so far (an export or erasure
     * asks every part until no new one turns up); none by default.
     */
    default Set<String> subjectsOf(Person person) {
        return Set.of();
    }

    /** The records held about the person, each as JSON-ready values (text, numbers, booleans, lists, maps). */
    List<Map<String, Object>> export(Person person);

    /**
     * Deletes what is held about the person (or, where a record belongs to someone else and only quotes them, removes
     * the quote); applying it again finds nothing more. Returns how many records were changed.
     */
    long erase(Person person);
}
