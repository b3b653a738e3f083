package dev.talkback.notification.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Optional;

/**
 * Turns untrusted text into exactly one mailbox address, or nothing. Control characters (CR, LF, …), lists,
 * groups and display names are refused, so an address from an event can never add a header or a second
 * recipient.
 */
public final class MailAddresses {

    private MailAddresses() {}

    /** The single bare address {@code text} stands for, or empty when it is anything else. */
    public static Optional<InternetAddress> recipient(String text) {
        String candidate = text.strip();
        if (candidate.isEmpty() || candidate.length() > 254 || candidate.chars().anyMatch(MailAddresses::isForbidden)) {
            return Optional.empty();
        }
        try {
            InternetAddress address = new InternetAddress(candidate, true);
            address.validate();
            if (address.isGroup() || address.getPersonal() != null || !candidate.equals(address.getAddress())) {
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (AddressException ex) {
            return Optional.empty();
        }
    }

    /**
     * A configured address such as {@code Talkback <comments@example.org>}; fails when it is not exactly one
     * mailbox, so a wrong setting stops the start-up instead of every mail.
     */
    static InternetAddress configured(String property, String text) {
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(property + " must not contain control characters");
        }
        try {
            InternetAddress[] addresses = InternetAddress.parse(text, true);
            if (addresses.length != 1 || addresses[0].isGroup()) {
                throw new IllegalArgumentException(property + " must be exactly one address");
            }
            addresses[0].validate();
            return addresses[0];
        } catch (AddressException ex) {
            throw new IllegalArgumentException(property + " is not a valid address: " + ex.getMessage(), ex);
        }
    }

    private static boolean isForbidden(int c) {
        return c < 0x21 || c == 0x7f || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '"'
                || c == ':';
    }
}
