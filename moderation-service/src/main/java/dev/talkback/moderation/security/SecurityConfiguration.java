package dev.talkback.moderation.security;

import java.net.URI;
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
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;

import reactor.core.publisher.Mono;

import dev.talkback.moderation.ModerationProperties;

/**
 * The moderator API is an OAuth2 resource server: every request under {@code /api/moderation} carries a bearer JWT
 * with the role {@code MODERATOR} or {@code ADMIN}. The actuator and the API description are on the management
 * port, for the cluster only (no token there; nothing under {@code /actuator} on the public port). CSRF protection
 * is off because no browser session or cookie authenticates anything here: a bearer token cannot be sent by a forged
 * cross-site form.
 *
 * <p>Where the tokens come from: in production, Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} / {@code jwk-set-uri} (its auto-configured decoder is
 * used, since this class then defines none); on the local stack, an HMAC key shared with the launcher that mints the
 * tokens ({@code moderation.security.local-signing-key}). With neither, a decoder that refuses every token is
 * installed, and the log says so: no key in the repository opens the API. Whichever decoder, a token must carry an
 * expiry, this service's audience and the expected issuer ({@link TokenRules}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String MODERATOR = "MODERATOR";
    static final String ADMIN = "ADMIN";

    private static final String API = "/api/moderation";

    @Bean
    SecurityWebFilterChain moderationSecurity(ServerHttpSecurity http, ModerationProperties properties,
            ProblemResponses problems, Environment environment) {
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
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(environment)))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .authorizeExchange(exchanges -> exchanges
                        // the actuator is served on the management port only (management.server.port), which this
                        // filter chain guards too: it is for the cluster (probes, Prometheus, the API description) and
                        // must never be exposed publicly, so no token is asked there; on the public port nothing
                        // answers under it (404)
                        .pathMatchers("/actuator", "/actuator/**").permitAll()
                        // the console's static files and its start-up configuration: public, nothing secret in them
                        .pathMatchers(HttpMethod.GET, "/moderate", "/moderate/", "/moderate/**").permitAll()
                        // answers only on a local stack (LocalSignInController), 404 elsewhere
                        .pathMatchers(HttpMethod.POST, "/moderate/local-sign-in").permitAll()
                        .pathMatchers(API + "/bans", API + "/bans/**", API + "/settings", API + "/articles/*/settings",
                                API + "/audit", API + "/stats", API + "/dead-letters", API + "/dead-letters/redrive")
                                .hasRole(ADMIN)
                        .pathMatchers(HttpMethod.GET, API + "/comments", API + "/comments/*", API + "/counts",
                                API + "/stream")
                                .hasAnyRole(MODERATOR, ADMIN)
                        .pathMatchers(HttpMethod.POST, API + "/comments/decisions", API + "/comments/*/decision",
                                API + "/comments/*/claim").hasAnyRole(MODERATOR, ADMIN)
                        .pathMatchers(HttpMethod.DELETE, API + "/comments/*/claim").hasAnyRole(MODERATOR, ADMIN)
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

    /**
     * What every token must carry besides its signature ({@code exp}, this service's {@code aud}, the expected
     * {@code iss}): Spring Boot's own decoder applies this bean as an additional validator, the local one below too.
     */
    @Bean
    OAuth2TokenValidator<Jwt> tokenRules(ModerationProperties properties, Environment environment) {
        return TokenRules.validator(TokenRules.expectedIssuer(properties.security().issuer(), environment),
                properties.security().audience());
    }

    /**
     * Tokens signed by the local stack's launcher with its HMAC key: only with the {@code local} profile, and never
     * with a key from the repository (see {@link TokenRules#localKey}).
     */
    @Bean
    @Conditional(LocalSigningKeyConfigured.class)
    ReactiveJwtDecoder localJwtDecoder(ModerationProperties properties, Environment environment,
            OAuth2TokenValidator<Jwt> tokenRules) {
        byte[] key = TokenRules.localKey(properties.security().localSigningKey(), environment);
        log.warn("The moderator API accepts tokens signed with the local signing key "
                + "(moderation.security.local-signing-key): for a local stack only, never in production");
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(tokenRules)));
        return decoder;
    }

    /** Neither a local key nor an identity provider: the API is closed, and the log says why. */
    @Bean
    @Conditional(NoTokenIssuerConfigured.class)
    ReactiveJwtDecoder refusingJwtDecoder() {
        log.warn("No token issuer is configured (spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri, "
                + "or moderation.security.local-signing-key): the moderator API refuses every token");
        return token -> Mono.error(new BadJwtException("No token issuer is configured on this moderation-service"));
    }

    private static boolean has(ConditionContext context, String property) {
        String value = context.getEnvironment().getProperty(property);
        return value != null && !value.isBlank();
    }

    static final class LocalSigningKeyConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return has(context, "moderation.security.local-signing-key");
        }
    }

    static final class NoTokenIssuerConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Stream.of("moderation.security.local-signing-key",
                    "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                    "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                    "spring.security.oauth2.resourceserver.jwt.public-key-location")
                    .noneMatch(property -> has(context, property));
        }
    }

    /**
     * Roles from the configured claim (a list, or a space/comma separated string), and from Keycloak's
     * {@code realm_access.roles}, as {@code ROLE_<NAME>} authorities, names matched exactly ({@code MODERATOR},
     * {@code ADMIN}). Realm roles count because the token's audience is checked: a token of another client of the
     * realm does not name this service.
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
                    // exactly as issued: "moderator" is not MODERATOR (an IdP's lower-case role of another meaning
                    // must not become one of ours)
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
