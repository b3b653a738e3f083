package dev.talkback.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryKeyTests {

    @Test
    void keyNamesKindAndCommentButHidesTheAddress() {
        DeliveryKey key = DeliveryKey.of("comment-published", "c1", "ada@example.org");

        assertThat(key.id()).startsWith("comment-published:c1:").doesNotContain("ada", "example");
        assertThat(key.recipientHash()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void sameAddressInAnotherSpellingIsTheSameDelivery() {
        assertThat(DeliveryKey.of("k", "c1", " Ada@Example.ORG "))
                .isEqualTo(DeliveryKey.of("k", "c1", "ada@example.org"));
        assertThat(DeliveryKey.of("k", "c1", "ada@example.org"))
                .isNotEqualTo(DeliveryKey.of("k", "c2", "ada@example.org"));
        assertThat(DeliveryKey.of("k", "c1", "ada@example.org"))
                .isNotEqualTo(DeliveryKey.of("k", "c1", "bob@example.org"));
    }
}
