package dev.talkback.notification.subscription;

import dev.talkback.notification.NotificationProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signed, stateless link tokens: {@code base64url(action|kind|recipientHash[|expiresAt]) "." base64url(HMAC-SHA256)}
 * with the key {@code notification.links.secret}. They name the address only by its key ({@code AddressKeys}; the
 * SHA-256 of before in links sent until then, which stay valid), so a link leaks nothing.
 * An unsubscribe token does not expire: it must work as long as the mail exists. A confirmation token expires after
 * {@code notification.confirmation.link-validity} (epoch seconds in the signed payload): a stranger's old mail
 * cannot opt an address in for ever; one without an expiry (issued before expiries existed) counts as expired.
 * Every instance must share the secret; without one, a random key is used (with a warning) and links stop working
 * on restart.
 * <p>
 * A privacy link ({@link #signPrivacy}) is the exception: it must carry the address itself, since an export or an
 * erasure is asked of every service by address. So it is encrypted rather than signed, and expires after
 * {@code notification.privacy.link-validity}.
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
    /** Marks a privacy token (and its format's version): it does not verify as any other token. */
    private static final String PRIVACY_PREFIX = "p1.";
    /** Nonce, address (at most 254 characters), expiry and tag, base64url-encoded, with room to spare. */
    private static final int MAX_PRIVACY_TOKEN = 1024;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] PRIVACY_AAD = "PRIVACY".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;
    private final SecretKeySpec privacyKey;
    private final Duration confirmValidity;
    private final Duration privacyValidity;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Autowired
    LinkTokens(NotificationProperties properties) {
        this(
                properties.links().secret(),
                properties.confirmation().linkValidity(),
                properties.privacy().linkValidity(),
                Clock.systemUTC());
    }

    LinkTokens(@Nullable String secret) {
        this(secret, Duration.ofDays(7), Clock.systemUTC());
    }

    LinkTokens(@Nullable String secret, Duration confirmValidity, Clock clock) {
        this(secret, confirmValidity, Duration.ofHours(24), clock);
    }

    LinkTokens(@Nullable String secret, Duration confirmValidity, Duration privacyValidity, Clock clock) {
        this.confirmValidity = confirmValidity;
        this.privacyValidity = privacyValidity;
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
        // a key of its own for the privacy links, derived from the one secret an operator sets
        privacyKey = new SecretKeySpec(mac("talkback privacy links v1".getBytes(StandardCharsets.UTF_8)), "AES");
    }

    /**
     * A verified privacy link.
     *
     * @param address   the address it was sent to, as typed in the request
     * @param linkId    the link's own random id (hex): what an export or erasure made with it is named after
     * @param expiresAt when it stops working
     */
    public record PrivacyClaims(String address, String linkId, Instant expiresAt) {

        public boolean expired(Instant now) {
            return !now.isBefore(expiresAt);
        }

        /** Without the address: claims may end up in a log. */
        @Override
        public String toString() {
            return "PrivacyClaims[linkId=" + linkId + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * The token of a privacy link to the address: {@code "p1." base64url(nonce | AES-256-GCM(PRIVACY|expiresAt|address))}
     * under a key derived from the links' secret. Encrypted, so that the address cannot be read from the link (in a
     * proxy's access log, a browser's history), and authenticated: a changed bit fails the tag. It expires after
     * {@code notification.privacy.link-validity}.
     */
    public String signPrivacy(String address) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        long expiresAt = clock.instant().plus(privacyValidity).getEpochSecond();
        byte[] plain = ("PRIVACY|" + expiresAt + "|" + address).getBytes(StandardCharsets.UTF_8);
        byte[] sealed = privacyCipher(Cipher.ENCRYPT_MODE, nonce, plain);
        byte[] token = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, token, 0, nonce.length);
        System.arraycopy(sealed, 0, token, nonce.length, sealed.length);
        return PRIVACY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The claims of a privacy token made with this key (expired or not), else empty. */
    public Optional<PrivacyClaims> verifyPrivacy(@Nullable String token) {
        if (token == null || token.length() > MAX_PRIVACY_TOKEN || !token.startsWith(PRIVACY_PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token.substring(PRIVACY_PREFIX.length()));
            if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            byte[] nonce = Arrays.copyOf(bytes, NONCE_BYTES);
            byte[] sealed = Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length);
            String[] parts = new String(privacyCipher(Cipher.DECRYPT_MODE, nonce, sealed), StandardCharsets.UTF_8)
                    .split("\\|", 3);
            if (parts.length != 3
                    || !"PRIVACY".equals(parts[0])
                    || !EPOCH_SECONDS.matcher(parts[1]).matches()) {
                return Optional.empty();
            }
            return Optional.of(new PrivacyClaims(
                    parts[2], HexFormat.of().formatHex(nonce), Instant.ofEpochSecond(Long.parseLong(parts[1]))));
        } catch (IllegalArgumentException | IllegalStateException malformedOrForged) {
            return Optional.empty();
        }
    }

    /** Whether verified privacy claims are past their expiry now. */
    public boolean expired(PrivacyClaims claims) {
        return claims.expired(clock.instant());
    }

    private byte[] privacyCipher(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, privacyKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(PRIVACY_AAD);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException forged) {
            throw new IllegalArgumentException("privacy token forged or corrupted");
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is part of every JVM", ex);
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
