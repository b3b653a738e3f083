package dev.talkback.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class StatusTokensTests {

    private final StatusTokens tokens = new StatusTokens("a-secret-of-sufficient-length");

    @Test
    void tokenIsStableUrlSafeAndBoundToTheId() {
        String token = tokens.tokenFor("01JDQ7Z5K8M3N4P5Q6R7S8T9V0");
        assertThat(token).matches("[A-Za-z0-9_-]{43}").isEqualTo(tokens.tokenFor("01JDQ7Z5K8M3N4P5Q6R7S8T9V0"));
        assertThat(tokens.isValid("01JDQ7Z5K8M3N4P5Q6R7S8T9V0", token)).isTrue();
        assertThat(tokens.isValid("01JDQ7Z5K8M3N4P5Q6R7S8T9V1", token)).isFalse();
        assertThat(tokens.isValid("01JDQ7Z5K8M3N4P5Q6R7S8T9V0", null)).isFalse();
        assertThat(tokens.isValid("01JDQ7Z5K8M3N4P5Q6R7S8T9V0", "")).isFalse();
    }

    @Test
    void instancesSharingTheSecretAgreeAndOthersDoNot() {
        String token = tokens.tokenFor("id");
        assertThat(new StatusTokens("a-secret-of-sufficient-length").isValid("id", token))
                .isTrue();
        assertThat(new StatusTokens("another-secret-entirely").isValid("id", token))
                .isFalse();
        assertThat(new StatusTokens((String) null).isValid("id", token)).isFalse();
    }

    @Test
    void shortSecretIsRefused() {
        assertThatIllegalStateException().isThrownBy(() -> new StatusTokens("short"));
    }
}
