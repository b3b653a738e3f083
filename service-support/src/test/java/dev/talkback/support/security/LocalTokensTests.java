package dev.talkback.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/** The local stack's tokens open the API they are minted for, as its decoder checks them, and no other. */
class LocalTokensTests {

    private final String key = LocalTokens.newKey();

    @Test
    void aModerationTokenCarriesWhatModerationServiceChecksAndItsRoles() {
        Instant now = Instant.now();
        String token =
                LocalTokens.forModeration(key).token("mia", List.of("MODERATOR"), now, now.plus(Duration.ofMinutes(5)));

        var jwt = moderationDecoder().decode(token).block();

        assertThat(jwt.getSubject()).isEqualTo("mia");
        assertThat(new RolesClaimConverter(RolesClaimConverter.DEFAULT_CLAIM).convert(jwt))
                .extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_MODERATOR");
    }

    @Test
    void aTokenForNotificationServiceOrWithoutExpiryOpensNothingAtModerationService() {
        Instant now = Instant.now();
        String forNotification =
                LocalTokens.forNotification(key).token("root", List.of("ADMIN"), now, now.plus(Duration.ofMinutes(5)));
        LocalTokens moderation = LocalTokens.forModeration(key);
        String withoutExpiry =
                moderation.sign(moderation.claims("root", List.of("ADMIN"), now).build());

        assertThatThrownBy(() -> moderationDecoder().decode(forNotification).block())
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("aud");
        assertThatThrownBy(() -> moderationDecoder().decode(withoutExpiry).block())
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void aKeyTooShortForHs256IsRefusedRatherThanUsed() {
        LocalTokens tokens = LocalTokens.forModeration("short");
        Instant now = Instant.now();

        assertThatThrownBy(() -> tokens.token("mia", List.of("MODERATOR"), now, now.plusSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ReactiveJwtDecoder moderationDecoder() {
        var environment = new StandardEnvironment();
        environment.setActiveProfiles(TokenRules.LOCAL_PROFILE);
        return BearerTokenSecurity.localDecoder(
                key,
                environment,
                "moderation.security",
                "the moderator API",
                TokenRules.validator(TokenRules.LOCAL_ISSUER, TokenRules.MODERATION_AUDIENCE));
    }
}
