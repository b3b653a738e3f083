package dev.talkback.moderation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Real HS256 tokens for tests, signed with the key the test application is configured with (or another). */
public final class Tokens {

    /**
     * The {@code moderation.security.local-signing-key} of the tests: random per run, since the service refuses a key
     * written in the repository (tests set it with {@code @DynamicPropertySource} and the {@code local} profile).
     */
    public static final String KEY = randomKey();

    public static final String OTHER_KEY = randomKey();
    public static final String ISSUER = "talkback-local-stack";
    public static final String AUDIENCE = "talkback-moderation";

    private Tokens() {}

    public static String moderator(String subject) {
        return token(KEY, subject, List.of("MODERATOR"), Duration.ofMinutes(5));
    }

    public static String admin(String subject) {
        return token(KEY, subject, List.of("ADMIN"), Duration.ofMinutes(5));
    }

    public static String withoutRole(String subject) {
        return token(KEY, subject, List.of(), Duration.ofMinutes(5));
    }

    public static String expired(String subject) {
        return token(KEY, subject, List.of("ADMIN"), Duration.ofMinutes(-10));
    }

    public static String wronglySigned(String subject) {
        return token(OTHER_KEY, subject, List.of("ADMIN"), Duration.ofMinutes(5));
    }

    /** Correctly signed, with the ADMIN role, but no {@code exp}: it would never expire. */
    public static String withoutExpiry(String subject) {
        return sign(KEY, claims(subject, List.of("ADMIN")).build());
    }

    /** Correctly signed ADMIN token of another issuer. */
    public static String ofAnotherIssuer(String subject) {
        return sign(
                KEY,
                claims(subject, List.of("ADMIN"))
                        .issuer("https://idp.example")
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                        .build());
    }

    /** Correctly signed ADMIN token meant for notification-service. */
    public static String forAnotherService(String subject) {
        return sign(
                KEY,
                claims(subject, List.of("ADMIN"))
                        .audience("talkback-notification")
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                        .build());
    }

    /** A token expiring {@code validFor} from now (negative: already expired, beyond any clock skew). */
    public static String token(String key, String subject, List<String> roles, Duration validFor) {
        return sign(
                key,
                claims(subject, roles)
                        .expirationTime(Date.from(Instant.now().plus(validFor)))
                        .build());
    }

    private static JWTClaimsSet.Builder claims(String subject, List<String> roles) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(20))))
                .claim("roles", roles);
    }

    private static String randomKey() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String sign(String key, JWTClaimsSet claims) {
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
