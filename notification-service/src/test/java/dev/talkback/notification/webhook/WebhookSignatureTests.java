package dev.talkback.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        // Same value as: printf '%s' '1.{}' | openssl dgst -sha256 -hmac 'k' -hex
        assertThat(WebhookSignature.sign("k", 1, "{}"))
                .isEqualTo("3dd49b2593d0f9a349e9e71c4bde3e2b862c2be4003fe9b4ba81332029310158");
        assertThat(WebhookSignature.header("k", 1, "{}"))
                .isEqualTo("t=1,v1=3dd49b2593d0f9a349e9e71c4bde3e2b862c2be4003fe9b4ba81332029310158");
    }
}
