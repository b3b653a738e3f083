package dev.talkback.support.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;

/**
 * What a token must carry besides a valid signature, whoever issued it: an expiry ({@code exp}: without one, a
 * leaked token would open the API for ever; the default validators only check it when present), this service's
 * audience ({@code aud}: a token minted for another service, even by the same issuer, opens nothing here) and the
 * expected issuer ({@code iss}). Spring Boot's own decoder (issuer-uri, jwk-set-uri, public-key-location) applies
 * these as additional validators; the local decoder applies them too.
 *
 * <p>And the local signing key's own rules: only with the {@code local} profile, never a value from the repository.
 * Each service names its settings by a prefix ({@code moderation.security}): {@code <prefix>.local-signing-key},
 * {@code <prefix>.issuer}.
 */
public final class TokenRules {

    /** The {@code iss} of the tokens the local stack's launcher mints, unless {@code <prefix>.issuer} says otherwise. */
    public static final String LOCAL_ISSUER = "talkback-local-stack";

    public static final String LOCAL_PROFILE = "local";

    /** The {@code aud} moderation-service requires unless {@code moderation.security.audience} says otherwise. */
    public static final String MODERATION_AUDIENCE = "talkback-moderation";

    /** The {@code aud} notification-service requires unless {@code notification.security.audience} says otherwise. */
    public static final String NOTIFICATION_AUDIENCE = "talkback-notification";

    static final String JWT = "spring.security.oauth2.resourceserver.jwt.";

    /**
     * Every key that was ever committed to the repository (deployment examples, compose files, tests): anyone can
     * read them, so a service configured with one would accept tokens from anyone.
     */
    private static final Set<String> KNOWN_DEVELOPMENT_KEYS = Set.of(
            "dev-only-local-signing-key-not-for-production-0123456789",
            "system-tests-signing-key-0123456789abcdef",
            "tests-only-signing-key-0123456789abcdef",
            "a-different-key-nobody-trusts-0123456789");

    private TokenRules() {}

    /** The property of a service's local signing key: {@code <prefix>.local-signing-key}. */
    public static String localKeyProperty(String prefix) {
        return prefix + ".local-signing-key";
    }

    /** {@code exp} present, {@code aud} containing {@code audience}, and {@code iss} equal to {@code issuer}. */
    public static OAuth2TokenValidator<Jwt> validator(@Nullable String issuer, String audience) {
        List<OAuth2TokenValidator<Jwt>> rules = new ArrayList<>();
        rules.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
        rules.add(new JwtClaimValidator<Object>(
                JwtClaimNames.AUD,
                aud -> aud instanceof Collection<?> list ? list.contains(audience) : audience.equals(aud)));
        if (issuer != null) {
            rules.add(new JwtIssuerValidator(issuer));
        }
        return new DelegatingOAuth2TokenValidator<>(rules);
    }

    /**
     * The issuer every token must name: the configured one; else the local stack's when the local key is set (that
     * decoder then takes precedence); else the {@code issuer-uri}. With only a JWK set or a public key and no
     * issuer, the service does not start: nothing would tie the tokens to one issuer. Null when no issuer is
     * configured at all (every token is refused then).
     */
    public static @Nullable String expectedIssuer(String configured, Environment environment, String prefix) {
        if (!configured.isBlank()) {
            return configured;
        }
        if (has(environment, localKeyProperty(prefix))) {
            return LOCAL_ISSUER;
        }
        if (has(environment, JWT + "issuer-uri")) {
            return environment.getProperty(JWT + "issuer-uri");
        }
        if (has(environment, JWT + "jwk-set-uri") || has(environment, JWT + "public-key-location")) {
            throw new IllegalStateException("With " + JWT + "jwk-set-uri or public-key-location, set " + JWT
                    + "issuer-uri or " + prefix + ".issuer too: every token's issuer (iss) is checked");
        }
        return null;
    }

    /**
     * The local signing key as HMAC bytes, if it may be used here: at least 32 bytes, the {@code local} profile
     * active (it is a local stack's and the tests' key, never production's), and not a key from the repository.
     */
    public static byte[] localKey(String key, Environment environment, String prefix) {
        String property = localKeyProperty(prefix);
        if (!environment.acceptsProfiles(Profiles.of(LOCAL_PROFILE))) {
            throw new IllegalStateException(property + " is set but the '" + LOCAL_PROFILE
                    + "' profile is not active: the local signing key is for the local stack and the tests only. In "
                    + "production configure " + JWT + "issuer-uri and leave the local key unset.");
        }
        if (KNOWN_DEVELOPMENT_KEYS.contains(key.strip())) {
            throw new IllegalStateException(property + " is a key published in the Talkback repository: "
                    + "anyone could sign tokens with it. Generate a random one (e.g. openssl rand -base64 32).");
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalStateException(property + " must be at least 32 bytes for HMAC-SHA256");
        }
        return bytes;
    }

    static boolean has(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }
}
