package dev.talkback.notification;

import dev.talkback.support.security.LocalTokens;
import dev.talkback.support.security.TokenRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Real HS256 tokens for tests, minted as the local stack mints them ({@link LocalTokens}) with the key the test
 * application is configured with, and the broken ones the security tests send (expired, wrongly signed, ...).
 */
public final class Tokens {

    /**
     * The {@code notification.security.local-signing-key} of the tests: random per run, since the service refuses a
     * key written in the repository (tests set it with {@code @DynamicPropertySource} and the {@code local} profile).
     */
    public static final String KEY = LocalTokens.newKey();

    public static final String OTHER_KEY = LocalTokens.newKey();
    public static final String ISSUER = TokenRules.LOCAL_ISSUER;
    public static final String AUDIENCE = TokenRules.NOTIFICATION_AUDIENCE;

    private static final Duration VALIDITY = Duration.ofMinutes(5);

    private Tokens() {}

    public static String moderator(String subject) {
        return token(KEY, subject, List.of("MODERATOR"), VALIDITY);
    }

    public static String admin(String subject) {
        return token(KEY, subject, List.of("ADMIN"), VALIDITY);
    }

    public static String withoutRole(String subject) {
        return token(KEY, subject, List.of(), VALIDITY);
    }

    public static String expired(String subject) {
        return token(KEY, subject, List.of("ADMIN"), Duration.ofMinutes(-10));
    }

    public static String wronglySigned(String subject) {
        return token(OTHER_KEY, subject, List.of("ADMIN"), VALIDITY);
    }

    /** A token carrying its roles where Keycloak puts them, {@code realm_access.roles}, and nowhere else. */
    public static String keycloak(String subject, List<String> roles) {
        LocalTokens tokens = LocalTokens.forNotification(KEY);
        return tokens.sign(tokens.claims(subject, List.of(), issuedAt())
                .claim("realm_access", Map.of("roles", roles))
                .expirationTime(Date.from(Instant.now().plus(VALIDITY)))
                .build());
    }

    /** Correctly signed, with the ADMIN role, but no {@code exp}: it would never expire. */
    public static String withoutExpiry(String subject) {
        LocalTokens tokens = LocalTokens.forNotification(KEY);
        return tokens.sign(tokens.claims(subject, List.of("ADMIN"), issuedAt()).build());
    }

    /** Correctly signed ADMIN token of another issuer. */
    public static String ofAnotherIssuer(String subject) {
        LocalTokens tokens = LocalTokens.forNotification(KEY);
        return tokens.sign(tokens.claims(subject, List.of("ADMIN"), issuedAt())
                .issuer("https://idp.example")
                .expirationTime(Date.from(Instant.now().plus(VALIDITY)))
                .build());
    }

    /** Correctly signed ADMIN token meant for moderation-service. */
    public static String forAnotherService(String subject) {
        return LocalTokens.forModeration(KEY)
                .token(subject, List.of("ADMIN"), issuedAt(), Instant.now().plus(VALIDITY));
    }

    /** A token expiring {@code validFor} from now (negative: already expired, beyond any clock skew). */
    public static String token(String key, String subject, List<String> roles, Duration validFor) {
        return LocalTokens.forNotification(key)
                .token(subject, roles, issuedAt(), Instant.now().plus(validFor));
    }

    /** Before the expiry of every token here, the expired ones included. */
    private static Instant issuedAt() {
        return Instant.now().minus(Duration.ofMinutes(20));
    }
}
