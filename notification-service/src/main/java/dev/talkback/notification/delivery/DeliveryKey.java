package dev.talkback.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The identity of one delivery: what is sent ({@code kind}), about which comment, to whom. The recipient is kept
 * only as the SHA-256 of its normalised (trimmed, lower-case) form, so the key can be stored, indexed and shown
 * without revealing the address. Example: {@code comment-published:01JD…:3f0a…}.
 *
 * @param kind          stable name of the kind of notification, e.g. {@code comment-published}
 * @param commentId     the comment the notification is about
 * @param recipientHash hex SHA-256 of the normalised recipient
 */
public record DeliveryKey(String kind, String commentId, String recipientHash) {

    public DeliveryKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(recipientHash, "recipientHash");
    }

    /** The key of a mail of the given kind about a comment to a recipient address. */
    public static DeliveryKey of(String kind, String commentId, String recipient) {
        return new DeliveryKey(kind, commentId, sha256(recipient.strip().toLowerCase(Locale.ROOT)));
    }

    /** The stored, unique form: {@code kind:commentId:recipientHash}. */
    public String id() {
        return kind + ":" + commentId + ":" + recipientHash;
    }

    @Override
    public String toString() {
        return id();
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JVM", ex);
        }
    }
}
