package dev.talkback.support.security;

/**
 * A service's bearer-token settings ({@code <prefix>.*}, e.g. {@code moderation.security}), implemented by its
 * settings record and handed to {@link BearerTokenSecurity}.
 */
public interface TokenSettings {

    /** The local stack's HMAC key; empty in production. */
    String localSigningKey();

    /** The claim that lists the token's roles. */
    String rolesClaim();

    /** The issuer ({@code iss}) every token must name; empty = the identity provider's, or the local stack's. */
    String issuer();

    /** The audience ({@code aud}) every token must name: this service. */
    String audience();

    /** The settings for a log or an error message: never the key. */
    default String describe() {
        return "[localSigningKey=" + (localSigningKey().isEmpty() ? "none" : "(set)") + ", rolesClaim=" + rolesClaim()
                + ", issuer=" + issuer() + ", audience=" + audience() + "]";
    }
}
