package dev.talkback.notification.subscription;

import dev.talkback.notification.NotificationProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signed, stateless link tokens: {@code base64url(action|kind|recipientHash[|expiresAt]) "." base64url(HMAC-SHA256)}
 * with the key {@code notification.links.secret}. They name the address only by its hash, so a link leaks nothing.
 * An unsubscribe token does not expire: it must work as long as the mail exists. A confirmation token expires after
 * {@code notification.confirmation.link-validity} (epoch seconds in the signed payload): a stranger's old mail
 * cannot opt an address in for ever; one without an expiry (issued before expiries existed) counts as expired.
 * Every instance must share the secret; without one, a random key is used (with a warning) and links stop working
 * on restart.
 */
@Component
public class LinkTokens {

    /** What a token allows. */
    public enum Action {
        CONFIRM,
        UNSUBSCRIBE
    }

    /**
     * A verified token.
     *
     * @param expiresAt when a confirmation token stops working; {@code null} for tokens without expiry
     */
    record Claims(
            Action action,
            String kind,
            String recipientHash,
            @Nullable Instant expiresAt) {

        /** Claims without expiry. */
        Claims(Action action, String kind, String recipientHash) {
            this(action, kind, recipientHash, null);
        }

        /** A confirmation token past its expiry, or one without any (older than expiries). */
        boolean expired(Instant now) {
            return action == Action.CONFIRM && (expiresAt == null || !now.isBefore(expiresAt));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LinkTokens.class);
    private static final int MIN_SECRET_LENGTH = 16;
    private static final Pattern PART = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}");

    private final byte[] key;
    private final Duration confirmValidity;
    private final Clock clock;

    @Autowired
    LinkTokens(NotificationProperties properties) {
        this(properties.links().secret(), properties.confirmation().linkValidity(), Clock.systemUTC());
    }

    LinkTokens(@Nullable String secret) {
        this(secret, Duration.ofDays(7), Clock.systemUTC());
    }

    LinkTokens(@Nullable String secret, Duration confirmValidity, Clock clock) {
        this.confirmValidity = confirmValidity;
        this.clock = clock;
        if (secret == null || secret.isBlank()) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            log.warn("notification.links.secret is not set: using a random key. Confirmation and unsubscribe links "
                    + "stop working on restart and are not accepted by other instances; set the same secret on every "
                    + "instance.");
        } else {
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException(
                        "notification.links.secret must have at least " + MIN_SECRET_LENGTH + " characters");
            }
            key = secret.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A token for the action; a confirmation token expires after the configured validity. */
    public String sign(Action action, String kind, String recipientHash) {
        if (!PART.matcher(kind).matches() || !HASH.matcher(recipientHash).matches()) {
            throw new IllegalArgumentException("kind or hash malformed");
        }
        String expiry = action == Action.CONFIRM
                ? "|" + clock.instant().plus(confirmValidity).getEpochSecond()
                : "";
        byte[] payload = (action.name() + "|" + kind + "|" + recipientHash + expiry).getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac(payload));
    }

    /** The claims of a token signed with this key (expired or not: see {@link Claims#expired}), else empty. */
    Optional<Claims> verify(@Nullable String token) {
        if (token == null || token.length() > 512) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac(payload), signature)) {
                return Optional.empty();
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length < 3
                    || parts.length > 4
                    || !PART.matcher(parts[1]).matches()
                    || !HASH.matcher(parts[2]).matches()
                    || parts.length == 4 && !EPOCH_SECONDS.matcher(parts[3]).matches()) {
                return Optional.empty();
            }
            Instant expiresAt = parts.length == 4 ? Instant.ofEpochSecond(Long.parseLong(parts[3])) : null;
            return Optional.of(new Claims(Action.valueOf(parts[0]), parts[1], parts[2], expiresAt));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** Whether verified claims are past their expiry now. */
    boolean expired(Claims claims) {
        return claims.expired(clock.instant());
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", ex);
        }
    }
}
