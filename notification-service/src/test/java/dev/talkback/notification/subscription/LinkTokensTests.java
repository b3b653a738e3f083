package dev.talkback.notification.subscription;

import dev.talkback.notification.delivery.DeliveryKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkTokensTests {

    private final LinkTokens tokens = new LinkTokens("a-secret-of-enough-length");
    private final String hash = DeliveryKey.hash("ada@example.org");

    @Test
    void signedTokenVerifiesAndNamesActionKindAndHashButNotTheAddress() {
        String token = tokens.sign(LinkTokens.Action.UNSUBSCRIBE, "reply", hash);

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").doesNotContain("ada");
        assertThat(tokens.verify(token)).contains(new LinkTokens.Claims(LinkTokens.Action.UNSUBSCRIBE, "reply", hash));
    }

    @Test
    void tamperedForeignOrMalformedTokensAreRefused() {
        String token = tokens.sign(LinkTokens.Action.CONFIRM, "reply", hash);
        String otherHash = DeliveryKey.hash("bob@example.org");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("CONFIRM|reply|" + otherHash).getBytes()) + token.substring(token.indexOf('.'));

        assertThat(tokens.verify(forged)).isEmpty();
        assertThat(new LinkTokens("another-secret-of-length").verify(token)).isEmpty();
        assertThat(tokens.verify(token + "x")).isEmpty();
        assertThat(tokens.verify("nodot")).isEmpty();
        assertThat(tokens.verify("!!!.???")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void withoutSecretARandomKeyIsUsed() {
        LinkTokens first = new LinkTokens((String) null);
        LinkTokens second = new LinkTokens("");

        assertThat(second.verify(first.sign(LinkTokens.Action.CONFIRM, "reply", hash))).isEmpty();
        assertThat(first.verify(first.sign(LinkTokens.Action.CONFIRM, "reply", hash))).isPresent();
    }
}
