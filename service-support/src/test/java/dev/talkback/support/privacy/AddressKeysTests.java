package dev.talkback.support.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AddressKeysTests {

    private final AddressKeys keys = new AddressKeys("a site secret of some length", "test.address-secret");

    @Test
    void anAddressHasOneKeyWhateverItsCase() {
        assertThat(keys.of(" Ada@Example.org "))
                .isEqualTo(keys.of("ada@example.org"))
                .hasSize(64);
        assertThat(keys.of("ada@example.org")).isNotEqualTo(keys.of("bob@example.org"));
    }

    @Test
    void theKeyIsNotTheBareHashOfTheAddress() throws Exception {
        String bare = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest("ada@example.org".getBytes(StandardCharsets.UTF_8)));

        assertThat(keys.of("ada@example.org")).isNotEqualTo(bare);
        assertThat(new AddressKeys("another secret of some length", "x").of("ada@example.org"))
                .isNotEqualTo(keys.of("ada@example.org"));
    }

    @Test
    void aShortSecretStopsTheStart() {
        assertThatThrownBy(() -> new AddressKeys("short", "test.address-secret"))
                .hasMessageContaining("test.address-secret");
    }
}
