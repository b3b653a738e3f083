package dev.talkback.comments;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Stateless secret that lets the author of a comment see its status: base64url(HMAC-SHA256(secret, commentId)).
 * Nothing is stored, so any instance sharing the secret can check a token.
 */
@Component
public class StatusTokens {

    private static final Logger log = LoggerFactory.getLogger(StatusTokens.class);
    private static final String ALGORITHM = "HmacSHA256";
    static final int MIN_SECRET_LENGTH = 16;

    private final SecretKeySpec key;

    @Autowired
    StatusTokens(CommentsProperties properties) {
        this(properties.statusTokenSecret());
    }

    StatusTokens(@Nullable String secret) {
        byte[] keyBytes;
        if (secret == null || secret.isBlank()) {
            keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
            log.warn(
                    "comments.status-token-secret is not set: using a random key. Status tokens stop working on restart "
                            + "and are not accepted by other instances; set the same secret on every instance.");
        } else {
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException(
                        "comments.status-token-secret must have at least " + MIN_SECRET_LENGTH + " characters");
            }
            keyBytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(keyBytes, ALGORITHM);
    }

    /** The token of a comment id. */
    public String tokenFor(String commentId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal(commentId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA256 is not available", ex);
        }
    }

    /** Whether a token belongs to the comment id, compared in constant time. */
    public boolean isValid(String commentId, @Nullable String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(
                tokenFor(commentId).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }
}
