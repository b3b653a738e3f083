package dev.talkback.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Real HS256 tokens for tests, signed with the key the test application is configured with (or another). */
public final class Tokens {

    /** The {@code notification.security.local-signing-key} of the tests; a test value, not a credential anywhere. */
    public static final String KEY = "tests-only-signing-key-0123456789abcdef";
    public static final String OTHER_KEY = "a-different-key-nobody-trusts-0123456789";

    private Tokens() {
    }

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

    /** A token carrying its roles where Keycloak puts them, {@code realm_access.roles}. */
    public static String keycloak(String subject, List<String> roles) {
        Instant now = Instant.now();
        var claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer("talkback-tests")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("realm_access", java.util.Map.of("roles", roles))
                .build();
        return sign(KEY, claims);
    }

    /** A token expiring {@code validFor} from now (negative: already expired, beyond any clock skew). */
    public static String token(String key, String subject, List<String> roles, Duration validFor) {
        Instant now = Instant.now();
        var claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer("talkback-tests")
                .issueTime(Date.from(now.minus(Duration.ofMinutes(20))))
                .expirationTime(Date.from(now.plus(validFor)))
                .claim("roles", roles)
                .build();
        return sign(key, claims);
    }

    private static String sign(String key, JWTClaimsSet claims) {
        try {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
