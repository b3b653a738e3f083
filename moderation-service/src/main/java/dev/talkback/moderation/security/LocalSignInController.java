package dev.talkback.moderation.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.security.ConditionalOnLocalSigningKey;
import dev.talkback.support.security.TokenRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local stack's sign-in for the moderator console: whoever can reach a local stack names themselves and picks a
 * role, and gets a short-lived token signed with the local key. It exists only where the local key is configured,
 * which the service refuses outside the {@code local} profile ({@link TokenRules#localKey}); in production the console
 * signs in at the identity provider and this path answers 404.
 */
@RestController
@ConditionalOnLocalSigningKey(prefix = SecurityConfiguration.PREFIX)
class LocalSignInController {

    private final byte[] key;
    private final String issuer;
    private final String audience;
    private final ModerationProperties.Console console;
    private final String rolesClaim;
    private final Clock clock;

    LocalSignInController(ModerationProperties properties, Environment environment, Clock clock) {
        this.key =
                TokenRules.localKey(properties.security().localSigningKey(), environment, SecurityConfiguration.PREFIX);
        String expected =
                TokenRules.expectedIssuer(properties.security().issuer(), environment, SecurityConfiguration.PREFIX);
        this.issuer = expected == null ? TokenRules.LOCAL_ISSUER : expected;
        this.audience = properties.security().audience();
        this.rolesClaim = properties.security().rolesClaim();
        this.console = properties.console();
        this.clock = clock;
    }

    @PostMapping("/moderate/local-sign-in")
    SignedIn signIn(@Valid @RequestBody SignInRequest request) throws JOSEException {
        String name = request.name().strip();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(console.localTokenLifetime());
        var claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(name)
                .claim("preferred_username", name)
                .claim(rolesClaim, List.of(request.role()))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        var token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        token.sign(new MACSigner(key));
        return new SignedIn(token.serialize(), console.localTokenLifetime().toSeconds(), name, List.of(request.role()));
    }

    /**
     * @param name who signs in, as the audit log and the other moderators will see it
     * @param role MODERATOR or ADMIN
     */
    record SignInRequest(
            @NotNull
            @Pattern(
                    regexp = "[\\p{L}\\p{N}][\\p{L}\\p{N} ._@-]{0,59}",
                    message = "must be 1 to 60 letters, digits, spaces or . _ @ -, starting with a letter or digit")
            String name,

            @NotNull @Pattern(regexp = "MODERATOR|ADMIN", message = "must be MODERATOR or ADMIN")
            String role) {}

    record SignedIn(String accessToken, long expiresIn, String name, List<String> roles) {}
}
