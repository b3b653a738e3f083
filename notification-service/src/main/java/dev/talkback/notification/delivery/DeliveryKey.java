package dev.talkback.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The identity of one delivery: what is sent ({@code kind}), about what (a comment, a digest, an event), over which
 * channel, to whom. The recipient (an address or a webhook URL) is kept only as the SHA-256 of its normalised
 * (trimmed, lower-case) form, so the key can be stored, indexed and shown without revealing the address. Example:
 * {@code comment-published:01JD…:mail:3f0a…}.
 *
 * @param kind          stable name of the kind of notification, e.g. {@code comment-published}
 * @param commentId     what the notification is about (a comment id, a digest number, …)
 * @param channel       how it is delivered
 * @param recipientHash hex SHA-256 of the normalised recipient
 */
public record DeliveryKey(String kind, String commentId, Channel channel, String recipientHash) {

    public DeliveryKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipientHash, "recipientHash");
    }

    /** The key of a mail of the given kind about a comment to a recipient address. */
    public static DeliveryKey of(String kind, String commentId, String recipient) {
        return of(kind, commentId, Channel.MAIL, recipient);
    }

    /** The key of a delivery of the given kind about a subject over a channel to a recipient. */
    public static DeliveryKey of(String kind, String subject, Channel channel, String recipient) {
        return new DeliveryKey(kind, subject, channel, hash(recipient));
    }

    /** The hash that stands for a recipient in keys and in the recipient state. */
    public static String hash(String recipient) {
        return sha256(recipient.strip().toLowerCase(Locale.ROOT));
    }

    /** The stored, unique form: {@code kind:subject:channel:recipientHash}. */
    public String id() {
        return kind + ":" + commentId + ":" + channel.name().toLowerCase(Locale.ROOT) + ":" + recipientHash;
    }

    @Override
    public String toString() {
        return id();
    }

    /** Hex SHA-256 of the value's UTF-8 bytes. */
    public static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JVM", ex);
        }
    }
}
