package dev.talkback.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.notification.delivery.DeliveryKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LinkTokensTests {

    private final LinkTokens tokens = new LinkTokens("a-secret-of-enough-length");
    private final String hash = DeliveryKey.legacyHash("ada@example.org");

    @Test
    void signedTokenVerifiesAndNamesActionKindAndHashButNotTheAddress() {
        String token = tokens.sign(LinkTokens.Action.UNSUBSCRIBE, "reply", hash);

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").doesNotContain("ada");
        assertThat(tokens.verify(token)).contains(new LinkTokens.Claims(LinkTokens.Action.UNSUBSCRIBE, "reply", hash));
    }

    @Test
    void tamperedForeignOrMalformedTokensAreRefused() {
        String token = tokens.sign(LinkTokens.Action.CONFIRM, "reply", hash);
        String otherHash = DeliveryKey.legacyHash("bob@example.org");
        String forged = java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(("CONFIRM|reply|" + otherHash).getBytes())
                + token.substring(token.indexOf('.'));

        assertThat(tokens.verify(forged)).isEmpty();
        assertThat(new LinkTokens("another-secret-of-length").verify(token)).isEmpty();
        assertThat(tokens.verify(token + "x")).isEmpty();
        assertThat(tokens.verify("nodot")).isEmpty();
        assertThat(tokens.verify("!!!.???")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void confirmationTokensExpireAfterTheirValidityAndUnsubscribeTokensNever() {
        Instant issued = Instant.parse("2026-12-01T10:00:00Z");
        LinkTokens signer =
                new LinkTokens("a-secret-of-enough-length", Duration.ofDays(7), Clock.fixed(issued, ZoneOffset.UTC));
        String confirm = signer.sign(LinkTokens.Action.CONFIRM, "all", hash);
        String unsubscribe = signer.sign(LinkTokens.Action.UNSUBSCRIBE, "reply", hash);

        LinkTokens.Claims claims = tokens.verify(confirm).orElseThrow();
        assertThat(claims.expiresAt()).isEqualTo(issued.plus(Duration.ofDays(7)));
        assertThat(claims.expired(issued.plus(Duration.ofDays(7)).minusSeconds(1)))
                .isFalse();
        assertThat(claims.expired(issued.plus(Duration.ofDays(7)))).isTrue();
        LinkTokens.Claims forever = tokens.verify(unsubscribe).orElseThrow();
        assertThat(forever.expiresAt()).isNull();
        assertThat(forever.expired(issued.plus(Duration.ofDays(3650)))).isFalse();
    }

    @Test
    void aConfirmationTokenWithoutExpiryOrWithAForgedOneIsNotAccepted() {
        String undated = tokens.sign(LinkTokens.Action.UNSUBSCRIBE, "all", hash);
        String payload =
                new String(java.util.Base64.getUrlDecoder().decode(undated.substring(0, undated.indexOf('.'))));
        // an undated CONFIRM (issued before expiries) verifies but counts as expired
        assertThat(new LinkTokens.Claims(LinkTokens.Action.CONFIRM, "all", hash).expired(Instant.now()))
                .isTrue();
        // moving the expiry of a signed token breaks its signature
        String confirm = tokens.sign(LinkTokens.Action.CONFIRM, "all", hash);
        String later = java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(("CONFIRM|all|" + hash + "|99999999999").getBytes())
                + confirm.substring(confirm.indexOf('.'));
        assertThat(payload).isEqualTo("UNSUBSCRIBE|all|" + hash);
        assertThat(tokens.verify(later)).isEmpty();
    }

    @Test
    void withoutSecretARandomKeyIsUsed() {
        LinkTokens first = new LinkTokens((String) null);
        LinkTokens second = new LinkTokens("");

        assertThat(second.verify(first.sign(LinkTokens.Action.CONFIRM, "reply", hash)))
                .isEmpty();
        assertThat(first.verify(first.sign(LinkTokens.Action.CONFIRM, "reply", hash)))
                .isPresent();
    }

    @Test
    void privacyTokensCarryTheAddressEncryptedAndExpire() {
        Instant issued = Instant.parse("2026-12-01T10:00:00Z");
        LinkTokens signer = new LinkTokens(
                "a-secret-of-enough-length",
                Duration.ofDays(7),
                Duration.ofHours(24),
                Clock.fixed(issued, ZoneOffset.UTC));
        String token = signer.signPrivacy("Ada@Example.org");

        assertThat(token).startsWith("p1.").doesNotContainIgnoringCase("ada").doesNotContain("example");
        LinkTokens.PrivacyClaims claims = signer.verifyPrivacy(token).orElseThrow();
        assertThat(claims.address()).isEqualTo("Ada@Example.org");
        assertThat(claims.expiresAt()).isEqualTo(issued.plus(Duration.ofHours(24)));
        assertThat(claims.expired(issued.plus(Duration.ofHours(24)).minusSeconds(1)))
                .isFalse();
        assertThat(claims.expired(issued.plus(Duration.ofHours(24)))).isTrue();
        assertThat(claims.linkId()).matches("[0-9a-f]{24}");
        // two links to one address are two links: an export or erasure is named after its link
        assertThat(signer.verifyPrivacy(signer.signPrivacy("Ada@Example.org"))
                        .orElseThrow()
                        .linkId())
                .isNotEqualTo(claims.linkId());
        assertThat(claims.toString()).doesNotContainIgnoringCase("ada");
    }

    @Test
    void privacyTokensAreRefusedWhenTamperedForeignOrOfAnotherKind() {
        String token = tokens.signPrivacy("ada@example.org");
        byte[] bytes = java.util.Base64.getUrlDecoder().decode(token.substring(3));
        bytes[bytes.length / 2] ^= 1;
        String flipped =
                "p1." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThat(tokens.verifyPrivacy(token)).isPresent();
        assertThat(tokens.verifyPrivacy(flipped)).isEmpty();
        assertThat(new LinkTokens("another-secret-of-length").verifyPrivacy(token))
                .isEmpty();
        assertThat(tokens.verifyPrivacy(token.substring(0, token.length() - 2))).isEmpty();
        assertThat(tokens.verifyPrivacy("p1.!!!")).isEmpty();
        assertThat(tokens.verifyPrivacy("p1.")).isEmpty();
        assertThat(tokens.verifyPrivacy(null)).isEmpty();
        assertThat(tokens.verifyPrivacy("p1." + "A".repeat(2000))).isEmpty();
        // neither kind of token passes for the other
        assertThat(tokens.verify(token)).isEmpty();
        assertThat(tokens.verifyPrivacy(tokens.sign(LinkTokens.Action.UNSUBSCRIBE, "all", hash)))
                .isEmpty();
    }
}
