package dev.talkback.notification.delivery;

import org.jspecify.annotations.Nullable;

/**
 * A mail as rendered when its event was consumed, so the dispatcher needs nothing else to send it. The address is
 * removed once the mail is sent.
 *
 * @param to                   the only recipient, a bare address checked by {@code MailAddresses}; removed once
 *                             sent
 * @param recipientHash        the key of the address ({@code AddressKeys}; the SHA-256 of before in mails
 *                             recorded before {@code notification.privacy.address-secret})
 * @param listKind             the kind of mail the recipient can unsubscribe from with this mail's link
 * @param requiresConfirmation whether the recipient must have confirmed the address (double opt-in) for it to go
 * @param subject              one line
 * @param text                 plain-text body, footer included
 * @param html                 HTML body (escaped), footer included
 * @param unsubscribeUrl       the signed one-click unsubscribe link ({@code List-Unsubscribe})
 */
public record MailPayload(
        @Nullable String to,
        String recipientHash,
        String listKind,
        boolean requiresConfirmation,
        String subject,
        String text,
        String html,
        @Nullable String unsubscribeUrl) {

    @Override
    public String toString() {
        return "MailPayload[" + listKind + ", subject=" + subject + "]";
    }
}
