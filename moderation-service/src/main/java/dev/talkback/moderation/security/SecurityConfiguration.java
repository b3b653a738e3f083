package dev.talkback.moderation.security;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.security.AccessProblems;
import dev.talkback.support.security.BearerTokenSecurity;
import dev.talkback.support.security.ConditionalOnOwnTokenDecoder;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;

/**
 * The moderator API takes bearer JWTs ({@link BearerTokenSecurity}): every request under {@code /api/moderation}
 * carries one with the role {@code MODERATOR} or {@code ADMIN}; the console's files are public. The tokens' settings
 * are under {@code moderation.security}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    static final String PREFIX = "moderation.security";
    static final String MODERATOR = "MODERATOR";
    static final String ADMIN = "ADMIN";

    private static final String API = "/api/moderation";

    @Bean
    SecurityWebFilterChain moderationSecurity(
            ServerHttpSecurity http, ModerationProperties properties, Environment environment) {
        return BearerTokenSecurity.filterChain(
                http,
                properties.security().rolesClaim(),
                new AccessProblems(),
                headers -> headers.contentSecurityPolicy(
                                csp -> csp.policyDirectives(contentSecurityPolicy(environment)))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)),
                exchanges -> exchanges
                        // the console's static files and its start-up configuration: public, nothing secret in them
                        .pathMatchers(HttpMethod.GET, "/moderate", "/moderate/", "/moderate/**")
                        .permitAll()
                        // answers only on a local stack (LocalSignInController), 404 elsewhere
                        .pathMatchers(HttpMethod.POST, "/moderate/local-sign-in")
                        .permitAll()
                        .pathMatchers(
                                API + "/bans",
                                API + "/bans/**",
                                API + "/settings",
                                API + "/articles/*/settings",
                                API + "/audit",
                                API + "/stats",
                                API + "/transparency",
                                API + "/dead-letters",
                                API + "/dead-letters/redrive")
                        .hasRole(ADMIN)
                        .pathMatchers(
                                HttpMethod.GET,
                                API + "/comments",
                                API + "/comments/*",
                                API + "/comments/*/reports",
                                API + "/counts",
                                API + "/stream")
                        .hasAnyRole(MODERATOR, ADMIN)
                        .pathMatchers(
                                HttpMethod.POST,
                                API + "/comments/decisions",
                                API + "/comments/*/decision",
                                API + "/comments/*/claim")
                        .hasAnyRole(MODERATOR, ADMIN)
                        .pathMatchers(HttpMethod.DELETE, API + "/comments/*/claim")
                        .hasAnyRole(MODERATOR, ADMIN));
    }

    /**
     * The console's files (and every other answer) may run only this origin's scripts and styles, none inline, so a
     * comment's text, a name or a website that slipped into the page as markup could not run; they may talk only to
     * this service and the identity provider (its discovery document and token endpoint), and no other site may
     * frame them.
     */
    static String contentSecurityPolicy(Environment environment) {
        String issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
        String provider = "";
        if (!issuer.isBlank()) {
            URI uri = URI.create(issuer.strip());
            provider = " " + uri.getScheme() + "://" + uri.getRawAuthority();
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                + provider + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /** See {@link BearerTokenSecurity#tokenRules}. */
    @Bean
    OAuth2TokenValidator<Jwt> tokenRules(ModerationProperties properties, Environment environment) {
        return BearerTokenSecurity.tokenRules(properties.security(), environment, PREFIX);
    }

    /** The local stack's tokens, or none, unless an identity provider is configured. */
    @Bean
    @ConditionalOnOwnTokenDecoder(prefix = PREFIX)
    ReactiveJwtDecoder ownJwtDecoder(
            ModerationProperties properties, Environment environment, OAuth2TokenValidator<Jwt> tokenRules) {
        return BearerTokenSecurity.ownDecoder(
                properties.security(), environment, PREFIX, "the moderator API", "moderation-service", tokenRules);
    }
}
