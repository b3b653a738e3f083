package dev.talkback.support.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key an email address is looked up by: hex HMAC-SHA256 of the address in lower case under a site secret. Unlike a
 * bare SHA-256, a key cannot be reversed by hashing a list of known addresses without the secret. Every instance of a
 * service must use the same secret; without one a random key is used (with a warning) and lookups by address stop
 * matching what was stored before a restart.
 */
public final class AddressKeys {

    private static final Logger log = LoggerFactory.getLogger(AddressKeys.class);
    private static final int MIN_SECRET_LENGTH = 16;

    private final SecretKeySpec key;

    /**
     * @param secret  the site secret, at least 16 characters, or {@code null} for a random key
     * @param setting the setting's name, for the messages
     */
    public AddressKeys(@Nullable String secret, String setting) {
        byte[] bytes;
        if (secret == null || secret.isBlank()) {
            bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            log.warn(
                    "{} is not set: using a random key. Lookups by email address (subscriptions, bans, floods) stop "
                            + "matching on restart and differ between instances; set the same secret on every instance.",
                    setting);
        } else if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException(setting + " must have at least " + MIN_SECRET_LENGTH + " characters");
        } else {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        // loads the JCA provider now: the first lookup may come within the moderation engine's CPU budget
        of("warm-up@example.org");
    }

    /** The key of an address: 64 hex digits, the same for any spelling that differs only in case or outer spaces. */
    public String of(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] normalised = address.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(mac.doFinal(normalised));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", ex);
        }
    }
}
