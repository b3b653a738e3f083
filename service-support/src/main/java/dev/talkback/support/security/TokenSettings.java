package dev.talkback.support.security;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A service's bearer-token settings ({@code <prefix>.*}, e.g. {@code moderation.security}), bound into its settings
 * record and handed to {@link BearerTokenSecurity}. For production configure the identity provider with Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (or {@code jwk-set-uri} with an issuer); for the local
 * stack a shared HMAC key, accepted only with the {@code local} profile. There is no default key: with neither, every
 * token is refused. Every token must carry {@code exp}, {@code aud} containing {@code audience} and the expected
 * {@code iss}.
 *
 * @param localSigningKey HMAC-SHA256 key (at least 32 bytes of UTF-8) of locally minted tokens; empty = none
 * @param rolesClaim      the claim holding the roles (matched exactly), a list or a string
 * @param issuer          the {@code iss} every token must carry; empty = the issuer-uri, or
 *                        {@code talkback-local-stack} with the local key
 * @param audience        a value the token's {@code aud} must contain: this service; empty = the service's own name
 *                        for itself ({@link #withDefaultAudience})
 */
public record TokenSettings(
        @DefaultValue("") String localSigningKey,

        @DefaultValue(RolesClaimConverter.DEFAULT_CLAIM) @NotNull
        String rolesClaim,

        @DefaultValue("") String issuer,
        @DefaultValue("") @NotNull String audience) {

    /** These settings, with {@code audience} where none is set: each service names the audience it is. */
    public TokenSettings withDefaultAudience(String defaultAudience) {
        return audience.isBlank() ? new TokenSettings(localSigningKey, rolesClaim, issuer, defaultAudience) : this;
    }

    /** The settings for a log or an error message: never the key. */
    @Override
    public String toString() {
        return "TokenSettings[localSigningKey=" + (localSigningKey.isEmpty() ? "none" : "(set)") + ", rolesClaim="
                + rolesClaim + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
}
