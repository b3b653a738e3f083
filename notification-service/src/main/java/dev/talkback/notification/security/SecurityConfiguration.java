package dev.talkback.notification.security;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.security.AccessProblems;
import dev.talkback.support.security.BearerTokenSecurity;
import dev.talkback.support.security.ConditionalOnOwnTokenDecoder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The admin API takes bearer JWTs as moderation-service's does ({@link BearerTokenSecurity}): every request under
 * {@code /api/notifications} carries one with the role {@code ADMIN}. The readers' links ({@code /notifications/confirm},
 * {@code /notifications/unsubscribe} GET and the RFC 8058 one-click POST) stay public: they are authorised by their
 * signed token, and a mail client sending the one-click POST has no bearer token; a forger cannot send the
 * unsubscribe POST either, for it needs the HMAC-signed link. The readers' privacy pages are public too: a reader has
 * no account, and an export or an erasure needs the encrypted link mailed to the address; asking for that link
 * ({@code POST /api/privacy/requests}) is open to anyone, limited per client and per address. The tokens' settings
 * are under {@code notification.security}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    static final String PREFIX = "notification.security";
    static final String ADMIN = "ADMIN";

    @Bean
    SecurityWebFilterChain notificationSecurity(ServerHttpSecurity http, NotificationProperties properties) {
        return BearerTokenSecurity.filterChain(
                http,
                properties.security().rolesClaim(),
                new AccessProblems(),
                Customizer.withDefaults(),
                exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, "/notifications/confirm", "/notifications/unsubscribe")
                        .permitAll()
                        .pathMatchers(HttpMethod.POST, "/notifications/confirm", "/notifications/unsubscribe")
                        .permitAll()
                        .pathMatchers(HttpMethod.GET, "/privacy", "/privacy/export/*")
                        .permitAll()
                        .pathMatchers(HttpMethod.POST, "/privacy/export", "/privacy/erasure", "/api/privacy/requests")
                        .permitAll()
                        .pathMatchers("/api/notifications", "/api/notifications/**")
                        .hasRole(ADMIN));
    }

    /** See {@link BearerTokenSecurity#tokenRules}. */
    @Bean
    OAuth2TokenValidator<Jwt> tokenRules(NotificationProperties properties, Environment environment) {
        return BearerTokenSecurity.tokenRules(properties.security(), environment, PREFIX);
    }

    /** The local stack's tokens, or none, unless an identity provider is configured. */
    @Bean
    @ConditionalOnOwnTokenDecoder(prefix = PREFIX)
    ReactiveJwtDecoder ownJwtDecoder(
            NotificationProperties properties, Environment environment, OAuth2TokenValidator<Jwt> tokenRules) {
        return BearerTokenSecurity.ownDecoder(
                properties.security(), environment, PREFIX, "the admin API", "notification-service", tokenRules);
    }
}
