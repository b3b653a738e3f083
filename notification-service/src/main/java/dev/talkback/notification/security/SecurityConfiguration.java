package dev.talkback.notification.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;

import reactor.core.publisher.Mono;

import dev.talkback.notification.NotificationProperties;

/**
 * The admin API is an OAuth2 resource server, with the same token scheme as moderation-service: every request
 * under {@code /api/notifications} carries a bearer JWT with the role {@code ADMIN}; the actuator is on the management
 * port, for the cluster only (no token there; nothing under {@code /actuator} on the public port). The readers'
 * links ({@code /notifications/confirm}, {@code /notifications/unsubscribe} GET and the RFC 8058 one-click POST)
 * stay public: they are authorised by their signed token, and a mail client sending the one-click POST has no bearer
 * token. CSRF protection is off because no cookie or session
 * authenticates anything here: a forged cross-site form cannot carry a bearer token, and the unsubscribe POST
 * needs the HMAC-signed link, which a forger does not have.
 *
 * <p>Where the tokens come from: in production, Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} / {@code jwk-set-uri} (its auto-configured decoder is
 * used, since this class then defines none); on the local stack, an HMAC key shared with the launcher that mints the
 * tokens ({@code notification.security.local-signing-key}). With neither, a decoder that refuses every token is
 * installed, and the log says so: no key in the repository opens the API. Whichever decoder, a token must carry an
 * expiry, this service's audience and the expected issuer ({@link TokenRules}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String ADMIN = "ADMIN";

    @Bean
    SecurityWebFilterChain notificationSecurity(ServerHttpSecurity http, NotificationProperties properties,
            ProblemResponses problems) {
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new RolesClaimConverter(properties.security().rolesClaim()));
        Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication =
                new ReactiveJwtAuthenticationConverterAdapter(converter);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        // the actuator is served on the management port only (management.server.port), which this
                        // filter chain guards too: it is for the cluster (probes, Prometheus) and must never be
                        // exposed publicly, so no token is asked there; on the public port nothing answers under it
                        .pathMatchers("/actuator", "/actuator/**").permitAll()
                        .pathMatchers(HttpMethod.GET, "/notifications/confirm", "/notifications/unsubscribe")
                                .permitAll()
                        .pathMatchers(HttpMethod.POST, "/notifications/confirm", "/notifications/unsubscribe").permitAll()
                        .pathMatchers("/api/notifications", "/api/notifications/**").hasRole(ADMIN)
                        .anyExchange().denyAll())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(authentication))
                        .authenticationEntryPoint(problems::unauthorized)
                        .accessDeniedHandler(problems::forbidden))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(problems::unauthorized)
                        .accessDeniedHandler(problems::forbidden))
                .build();
    }

    /**
     * What every token must carry besides its signature ({@code exp}, this service's {@code aud}, the expected
     * {@code iss}): Spring Boot's own decoder applies this bean as an additional validator, the local one below too.
     */
    @Bean
    OAuth2TokenValidator<Jwt> tokenRules(NotificationProperties properties, Environment environment) {
        return TokenRules.validator(TokenRules.expectedIssuer(properties.security().issuer(), environment),
                properties.security().audience());
    }

    /**
     * Tokens signed by the local stack's launcher with its HMAC key: only with the {@code local} profile, and never
     * with a key from the repository (see {@link TokenRules#localKey}).
     */
    @Bean
    @Conditional(LocalSigningKeyConfigured.class)
    ReactiveJwtDecoder localJwtDecoder(NotificationProperties properties, Environment environment,
            OAuth2TokenValidator<Jwt> tokenRules) {
        byte[] key = TokenRules.localKey(properties.security().localSigningKey(), environment);
        log.warn("The admin API accepts tokens signed with the local signing key "
                + "(notification.security.local-signing-key): for a local stack only, never in production");
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(tokenRules)));
        return decoder;
    }

    /** Neither a local key nor an identity provider: the admin API is closed, and the log says why. */
    @Bean
    @Conditional(NoTokenIssuerConfigured.class)
    ReactiveJwtDecoder refusingJwtDecoder() {
        log.warn("No token issuer is configured (spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri, "
                + "or notification.security.local-signing-key): the admin API refuses every token");
        return token -> Mono.error(new BadJwtException("No token issuer is configured on this notification-service"));
    }

    private static boolean has(ConditionContext context, String property) {
        String value = context.getEnvironment().getProperty(property);
        return value != null && !value.isBlank();
    }

    static final class LocalSigningKeyConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return has(context, "notification.security.local-signing-key");
        }
    }

    static final class NoTokenIssuerConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Stream.of("notification.security.local-signing-key",
                    "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                    "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                    "spring.security.oauth2.resourceserver.jwt.public-key-location")
                    .noneMatch(property -> has(context, property));
        }
    }

    /**
     * Roles from the configured claim (a list, or a space/comma separated string), and from Keycloak's
     * {@code realm_access.roles}, as {@code ROLE_<NAME>} authorities, names matched exactly ({@code ADMIN}). Realm
     * roles count because the token's audience is checked: a token of another client of the realm does not name
     * this service.
     */
    static final class RolesClaimConverter implements Converter<Jwt, Collection<GrantedAuthority>> {

        private final String claim;

        RolesClaimConverter(String claim) {
            this.claim = claim;
        }

        @Override
        public Collection<GrantedAuthority> convert(Jwt jwt) {
            Stream<String> roles = names(jwt.getClaims().get(claim));
            if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realm) {
                roles = Stream.concat(roles, names(realm.get("roles")));
            }
            return roles.map(String::trim)
                    .filter(role -> !role.isEmpty())
                    // exactly as issued: "admin" is not ADMIN (an IdP's lower-case role of another meaning must not
                    // become ours)
                    .map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role))
                    .distinct()
                    .toList();
        }

        private static Stream<String> names(Object value) {
            if (value instanceof Collection<?> list) {
                return list.stream().map(String::valueOf);
            }
            if (value instanceof String text) {
                return Stream.of(text.split("[\\s,]+"));
            }
            return Stream.empty();
        }
    }
}
