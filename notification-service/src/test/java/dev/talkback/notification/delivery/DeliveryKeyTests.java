package dev.talkback.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.talkback.support.privacy.AddressKeys;
import org.junit.jupiter.api.Test;

class DeliveryKeyTests {

    private final AddressKeys keys = new AddressKeys("a-site-secret-of-enough-length", "test");

    @Test
    void keyNamesKindAndCommentButHidesTheAddress() {
        DeliveryKey key = DeliveryKey.mail("comment-published", "c1", keys.of("ada@example.org"));

        assertThat(key.id()).startsWith("comment-published:c1:mail:").doesNotContain("ada", "example");
        assertThat(key.recipientHash()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void sameAddressInAnotherSpellingIsTheSameDelivery() {
        assertThat(DeliveryKey.mail("k", "c1", keys.of(" Ada@Example.ORG ")))
                .isEqualTo(DeliveryKey.mail("k", "c1", keys.of("ada@example.org")));
        assertThat(DeliveryKey.mail("k", "c1", keys.of("ada@example.org")))
                .isNotEqualTo(DeliveryKey.mail("k", "c2", keys.of("ada@example.org")));
        assertThat(DeliveryKey.mail("k", "c1", keys.of("ada@example.org")))
                .isNotEqualTo(DeliveryKey.mail("k", "c1", keys.of("bob@example.org")));
    }

    @Test
    void aMailIsKeyedByTheSitesKeyOfTheAddressNotItsBareHash() {
        String address = "ada@example.org";

        assertThat(DeliveryKey.mail("k", "c1", keys.of(address)).recipientHash())
                .isNotEqualTo(DeliveryKey.legacyHash(address))
                .isNotEqualTo(new AddressKeys("another-site-secret-of-length", "test").of(address));
        // the key of before: what old documents and links carry
        assertThat(DeliveryKey.legacyMail("k", "c1", " Ada@Example.ORG ").recipientHash())
                .isEqualTo(DeliveryKey.sha256(address));
        assertThatThrownBy(() -> DeliveryKey.of("k", "c1", Channel.MAIL, address))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DeliveryKey.of("comment.held", "c1:1", Channel.WEBHOOK, "https://hooks.example/")
                        .recipientHash())
                .isEqualTo(DeliveryKey.sha256("https://hooks.example/"));
    }
}
