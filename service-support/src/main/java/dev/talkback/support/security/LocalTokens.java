package dev.talkback.support.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * The local stack's tokens: HS256 JWTs signed with one service's local signing key
 * ({@code <prefix>.local-signing-key}), as the launcher writes them at start, moderation-service's local sign-in
 * issues them and the tests send them. Each names the issuer, the service's audience and an expiry, which every
 * service requires ({@link TokenRules}), and carries its roles where {@link RolesClaimConverter} reads them.
 *
 * <p>Only nimbus-jose-jwt is needed to use it, no Spring: the launcher, which runs no Spring, mints with it too.
 */
public final class LocalTokens {

    private final byte[] key;
    private final String issuer;
    private final String audience;
    private final String rolesClaim;

    /**
     * @param key        the service's local signing key, at least 32 bytes (HMAC-SHA256)
     * @param issuer     the {@code iss}: {@link TokenRules#LOCAL_ISSUER} unless the service is configured otherwise
     * @param audience   the service's {@code aud}
     * @param rolesClaim the claim the service reads roles from
     */
    public LocalTokens(byte[] key, String issuer, String audience, String rolesClaim) {
        this.key = key.clone();
        this.issuer = issuer;
        this.audience = audience;
        this.rolesClaim = rolesClaim;
    }

    /** Tokens for moderation-service's moderator API, as it is configured by default with {@code key}. */
    public static LocalTokens forModeration(String key) {
        return new LocalTokens(
                bytes(key), TokenRules.LOCAL_ISSUER, TokenRules.MODERATION_AUDIENCE, RolesClaimConverter.DEFAULT_CLAIM);
    }

    /** Tokens for notification-service's admin API, as it is configured by default with {@code key}. */
    public static LocalTokens forNotification(String key) {
        return new LocalTokens(
                bytes(key),
                TokenRules.LOCAL_ISSUER,
                TokenRules.NOTIFICATION_AUDIENCE,
                RolesClaimConverter.DEFAULT_CLAIM);
    }

    /**
     * A new random signing key (256 bits, base64url): the launcher makes one per service at every start, the tests one
     * per run, since the services refuse any key written in the repository.
     */
    public static String newKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** A signed token for {@code subject} with {@code roles}, issued at {@code issuedAt}, expiring at {@code expiresAt}. */
    public String token(String subject, List<String> roles, Instant issuedAt, Instant expiresAt) {
        return sign(claims(subject, roles, issuedAt)
                .expirationTime(Date.from(expiresAt))
                .build());
    }

    /**
     * The claims of a token, without an expiry: add one before {@link #sign}, since every service refuses a token
     * that has none (only tests leave it out, to prove that). Any claim may be replaced, e.g. the issuer.
     */
    public JWTClaimsSet.Builder claims(String subject, List<String> roles, Instant issuedAt) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .claim(rolesClaim, roles)
                .issueTime(Date.from(issuedAt));
    }

    /** The claims signed with this service's key, in compact form. */
    public String sign(JWTClaimsSet claims) {
        var jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException ex) {
            // a key shorter than 256 bits: the services refuse such a key too (TokenRules#localKey)
            throw new IllegalArgumentException(
                    "The local signing key cannot sign HS256 tokens: " + ex.getMessage(), ex);
        }
        return jwt.serialize();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
