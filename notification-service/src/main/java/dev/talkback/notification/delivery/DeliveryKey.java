package dev.talkback.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The identity of one delivery: what is sent ({@code kind}), about what (a comment, a digest, an event), over which
 * channel, to whom. The recipient is never in the key as such: a mail's address is kept as its key
 * ({@code AddressKeys}, an HMAC under {@code notification.privacy.address-secret}), a webhook's URL as the SHA-256 of
 * its normalised (trimmed, lower-case) form, so the key can be stored, indexed and shown without revealing the
 * address. Example: {@code comment-published:01JD…:mail:3f0a…}.
 *
 * @param kind          stable name of the kind of notification, e.g. {@code comment-published}
 * @param commentId     what the notification is about (a comment id, a digest number, …)
 * @param channel       how it is delivered
 * @param recipientHash the address key of a mail's recipient; the hex SHA-256 of a webhook's URL
 */
public record DeliveryKey(String kind, String commentId, Channel channel, String recipientHash) {

    public DeliveryKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipientHash, "recipientHash");
    }

    /** The key of a mail of the given kind about a subject to the address whose key ({@code AddressKeys}) is given. */
    public static DeliveryKey mail(String kind, String about, String addressKey) {
        return new DeliveryKey(kind, about, Channel.MAIL, addressKey);
    }

    /**
     * The key a mail had before addresses were keyed by HMAC: still looked up, so that an event redelivered (or a
     * comment approved again) after the change finds the mail it recorded before and sends nothing twice.
     */
    public static DeliveryKey legacyMail(String kind, String about, String address) {
        return new DeliveryKey(kind, about, Channel.MAIL, legacyHash(address));
    }

    /**
     * The key of a delivery to a recipient that is not an address (a webhook URL, which is not personal data): the
     * SHA-256 of the recipient. A mail's key is {@link #mail}: a bare SHA-256 of an address can be reversed by hashing
     * a list of addresses.
     */
    public static DeliveryKey of(String kind, String subject, Channel channel, String recipient) {
        if (channel == Channel.MAIL) {
            throw new IllegalArgumentException("a mail is keyed by its address key: DeliveryKey.mail");
        }
        return new DeliveryKey(kind, subject, channel, legacyHash(recipient));
    }

    /**
     * What stood for an address before {@code notification.privacy.address-secret}: the hex SHA-256 of its trimmed,
     * lower-case form. Never written any more; read to honour what was stored under it (recipients' documents, the
     * deliveries recorded then, and the unsubscribe links in mails already sent, which never expire), and erased with
     * the rest.
     */
    public static String legacyHash(String recipient) {
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
