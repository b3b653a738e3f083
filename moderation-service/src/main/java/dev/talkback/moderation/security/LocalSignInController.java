package dev.talkback.moderation.security;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.security.ConditionalOnLocalSigningKey;
import dev.talkback.support.security.LocalTokens;
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

    private final LocalTokens tokens;
    private final ModerationProperties.Console console;
    private final Clock clock;

    LocalSignInController(ModerationProperties properties, Environment environment, Clock clock) {
        var security = properties.security();
        byte[] key = TokenRules.localKey(security.localSigningKey(), environment, SecurityConfiguration.PREFIX);
        String expected = TokenRules.expectedIssuer(security.issuer(), environment, SecurityConfiguration.PREFIX);
        // as the API checks them: its configured issuer, audience and roles claim, whatever their defaults
        this.tokens = new LocalTokens(
                key, expected == null ? TokenRules.LOCAL_ISSUER : expected, security.audience(), security.rolesClaim());
        this.console = properties.console();
        this.clock = clock;
    }

    @PostMapping("/moderate/local-sign-in")
    SignedIn signIn(@Valid @RequestBody SignInRequest request) {
        String name = request.name().strip();
        List<String> roles = List.of(request.role());
        Instant now = clock.instant();
        var claims = tokens.claims(name, roles, now)
                .claim("preferred_username", name)
                .expirationTime(Date.from(now.plus(console.localTokenLifetime())))
                .jwtID(UUID.randomUUID().toString())
                .build();
        return new SignedIn(tokens.sign(claims), console.localTokenLifetime().toSeconds(), name, roles);
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
