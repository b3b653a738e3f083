package dev.talkback.comments;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Comment ids are ULIDs: 26 characters of Crockford base32, a 48-bit millisecond timestamp followed by 80 random
 * bits. They sort by creation time as text, are URL-safe and need no coordination between instances.
 */
@Component
public class CommentIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    /** The shape of an id; the first character is at most 7 because the timestamp has 48 bits. */
    public static final Pattern PATTERN = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public CommentIds() {
        this(Clock.systemUTC());
    }

    CommentIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        long time = clock.millis();
        byte[] entropy = new byte[10];
        random.nextBytes(entropy);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits = 16 characters of 5 bits
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (entropy[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (entropy[i] & 0xff);
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        return new String(out);
    }

    public static boolean isWellFormed(String id) {
        return PATTERN.matcher(id).matches();
    }
}
