package dev.talkback.comments.published;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.CommentsProperties;
import dev.talkback.support.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Signs and checks the cursors handed out as {@code next} (pages of top-level comments) and {@code repliesNext} (the
 * further replies of a thread): {@code base64url(<epoch millis>:<id>) "." base64url(HMAC-SHA256(key, scope, payload))}
 * truncated to 128 bits. Each distinct cursor is a distinct cached page, so a cursor the service did not make must
 * not even be looked up: only positions the service handed out, for that very article (and thread), are accepted.
 * Stateless, so every instance with the same key accepts the others' cursors.
 *
 * <p>The key is derived from {@code comments.status-token-secret} (HMAC of a fixed label), so a deployment has one
 * secret to manage while a cursor's signature can never serve as a status token or the other way round. Without the
 * secret the key is random, as the status tokens' is: cursors then die with the process and are refused by the other
 * instances (a reader's "Load more" answers 400 there), so multi-instance deployments set it anyway.
 */
@Component
class PageCursors {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] LABEL = "talkback/page-cursor/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG_BYTES = 16;
    /** A payload of 13 digits, a colon and a 26-character id, then the tag, in base64url: far below this. */
    private static final int MAX_LENGTH = 120;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    @Autowired
    PageCursors(CommentsProperties properties) {
        this(properties.statusTokenSecret());
    }

    PageCursors(@Nullable String secret) {
        byte[] keyBytes;
        if (secret == null || secret.isBlank()) {
            // StatusTokens warns about the missing secret; the cursors share its fate
            keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
        } else {
            keyBytes = mac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), LABEL);
        }
        this.key = new SecretKeySpec(keyBytes, ALGORITHM);
    }

    /** Scope of the cursors of the pages of an article's top-level comments. */
    static String pages(String articleId) {
        return "pages\n" + articleId;
    }

    /** Scope of the cursors of the replies of one thread (top-level comment) of an article. */
    static String replies(String articleId, String threadId) {
        return "replies\n" + articleId + "\n" + threadId;
    }

    String encode(PageCursor position, String scope) {
        byte[] payload =
                (position.publishedAt().toEpochMilli() + ":" + position.id()).getBytes(StandardCharsets.US_ASCII);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(tag(scope, payload));
    }

    /** @throws ApiProblem 400 naming the field {@code cursor} when {@link #encode} did not make it for this scope */
    PageCursor decode(String cursor, String scope) {
        PageCursor position = cursor.length() > MAX_LENGTH ? null : verified(cursor, scope);
        if (position == null) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "The cursor is not valid; use the 'next' value of a previous page.",
                    List.of(new ApiProblem.FieldProblem("cursor", "is not a cursor returned by this service")));
        }
        return position;
    }

    private @Nullable PageCursor verified(String cursor, String scope) {
        int dot = cursor.indexOf('.');
        if (dot < 0) {
            return null;
        }
        byte[] payload;
        byte[] tag;
        try {
            payload = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            tag = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException ex) {
            return null;
        }
        // exactly the spelling it made: the decoder ignores the unused low bits of a last character, so a cursor would
        // otherwise have a few equivalent spellings (harmless, pages are keyed by the decoded position, but needless)
        if (!cursor.equals(ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(tag))) {
            return null;
        }
        // the signature before anything is parsed
        if (!MessageDigest.isEqual(tag(scope, payload), tag)) {
            return null;
        }
        String raw = new String(payload, StandardCharsets.US_ASCII);
        int colon = raw.indexOf(':');
        try {
            long millis = Long.parseLong(raw.substring(0, colon));
            String id = raw.substring(colon + 1);
            return millis >= 0 && CommentIds.isWellFormed(id) ? new PageCursor(Instant.ofEpochMilli(millis), id) : null;
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private byte[] tag(String scope, byte[] payload) {
        byte[] scopeBytes = scope.getBytes(StandardCharsets.UTF_8);
        byte[] message = Arrays.copyOf(scopeBytes, scopeBytes.length + 1 + payload.length);
        message[scopeBytes.length] = 0;
        System.arraycopy(payload, 0, message, scopeBytes.length + 1, payload.length);
        return Arrays.copyOf(mac(key, message), TAG_BYTES);
    }

    private static byte[] mac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA256 is not available", ex);
        }
    }
}
