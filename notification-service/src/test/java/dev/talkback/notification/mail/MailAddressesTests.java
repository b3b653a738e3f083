package dev.talkback.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressesTests {

    @Test
    void acceptsOneBareAddress() {
        assertThat(MailAddresses.recipient(" ada.reader+news@example.org "))
                .get()
                .extracting(a -> a.getAddress())
                .isEqualTo("ada.reader+news@example.org");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ada@example.org\r\nBcc: eve@evil.example",
                "ada@example.org\nBcc: eve@evil.example",
                "ada@example.org, eve@evil.example",
                "ada@example.org;eve@evil.example",
                "Ada <ada@example.org>",
                "friends: ada@example.org, eve@evil.example;",
                "ada@example.org (comment)",
                "\"a b\"@example.org",
                "ada",
                "",
                "ada@exa mple.org"
            })
    void refusesAnythingButOneBareAddress(String text) {
        assertThat(MailAddresses.recipient(text)).isEmpty();
    }

    @Test
    void configuredAddressMayHaveADisplayNameButMustBeOne() {
        assertThat(MailAddresses.configured("p", "Talkback <comments@localhost>")
                        .getPersonal())
                .isEqualTo("Talkback");
        assertThatIllegalArgumentException().isThrownBy(() -> MailAddresses.configured("p", "a@x.org, b@x.org"));
        assertThatIllegalArgumentException().isThrownBy(() -> MailAddresses.configured("p", "a@x.org\r\nBcc: b@x.org"));
        assertThatIllegalArgumentException().isThrownBy(() -> MailAddresses.configured("p", "not an address"));
    }
}
