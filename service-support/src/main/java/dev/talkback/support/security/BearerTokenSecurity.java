package dev.talkback.support.security;

import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
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

/**
 * An API that takes bearer JWTs, as moderation-service and notification-service serve theirs: an OAuth2 resource
 * server whose roles come from the token ({@link RolesClaimConverter}), with 401 and 403 as problem details
 * ({@link AccessProblems}), and every path the service does not name refused. The actuator is served on the
 * management port only, for the cluster (no token there; nothing answers under {@code /actuator} on the public port).
 * CSRF protection is off because no browser session or cookie authenticates anything: a forged cross-site form cannot
 * carry a bearer token.
 *
 * <p>Where the tokens come from: in production, Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} / {@code jwk-set-uri} (its auto-configured decoder is
 * used, since the service then defines none); on the local stack, an HMAC key shared with the launcher that mints the
 * tokens ({@code <prefix>.local-signing-key}, {@link #localDecoder}). With neither, a decoder that refuses every token
 * ({@link #refusingDecoder}), and the log says so: no key in the repository opens the API. Whichever decoder, a token
 * must carry an expiry, the service's audience and the expected issuer ({@link TokenRules}).
 */
public final class BearerTokenSecurity {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenSecurity.class);

    private BearerTokenSecurity() {}

    /**
     * The filter chain: the service's {@code rules} for its paths, after the actuator (open, on the management port)
     * and before "everything else is refused".
     */
    public static SecurityWebFilterChain filterChain(
            ServerHttpSecurity http,
            String rolesClaim,
            AccessProblems problems,
            Customizer<ServerHttpSecurity.HeaderSpec> headers,
            Customizer<ServerHttpSecurity.AuthorizeExchangeSpec> rules) {
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new RolesClaimConverter(rolesClaim));
        Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication =
                new ReactiveJwtAuthenticationConverterAdapter(converter);
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .headers(headers)
                .authorizeExchange(exchanges -> {
                    // the actuator is served on the management port only (management.server.port), which this
                    // filter chain guards too: it is for the cluster (probes, Prometheus, the API description) and
                    // must never be exposed publicly, so no token is asked there; on the public port nothing answers
                    // under it (404)
                    exchanges.pathMatchers("/actuator", "/actuator/**").permitAll();
                    rules.customize(exchanges);
                    exchanges.anyExchange().denyAll();
                })
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(authentication))
                        .authenticationEntryPoint(problems::unauthorized)
                        .accessDeniedHandler(problems::forbidden))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems::unauthorized)
                        .accessDeniedHandler(problems::forbidden))
                .build();
    }

    /**
     * What every token must carry besides its signature ({@code exp}, this service's {@code aud}, the expected
     * {@code iss}): declared as a bean, Spring Boot's own decoder applies it as an additional validator, and
     * {@link #ownDecoder} too.
     */
    public static OAuth2TokenValidator<Jwt> tokenRules(TokenSettings settings, Environment environment, String prefix) {
        return TokenRules.validator(
                TokenRules.expectedIssuer(settings.issuer(), environment, prefix), settings.audience());
    }

    /**
     * The service's own decoder, for a bean with {@link ConditionalOnOwnTokenDecoder}: the local stack's tokens when
     * its key is set ({@link #localDecoder}), else none at all ({@link #refusingDecoder}).
     *
     * @param api what the log calls the API ("the moderator API")
     * @param service the service's name, for the refusal
     */
    public static ReactiveJwtDecoder ownDecoder(
            TokenSettings settings,
            Environment environment,
            String prefix,
            String api,
            String service,
            OAuth2TokenValidator<Jwt> tokenRules) {
        return TokenRules.has(environment, TokenRules.localKeyProperty(prefix))
                ? localDecoder(settings.localSigningKey(), environment, prefix, api, tokenRules)
                : refusingDecoder(prefix, api, service);
    }

    /**
     * Tokens signed by the local stack's launcher with its HMAC key ({@code <prefix>.local-signing-key}): only with
     * the {@code local} profile, and never with a key from the repository ({@link TokenRules#localKey}).
     *
     * @param api what the log calls the API ("the moderator API")
     */
    public static ReactiveJwtDecoder localDecoder(
            String key, Environment environment, String prefix, String api, OAuth2TokenValidator<Jwt> tokenRules) {
        byte[] bytes = TokenRules.localKey(key, environment, prefix);
        log.warn(
                "{} accepts tokens signed with the local signing key ({}): for a local stack only, never in "
                        + "production",
                capitalized(api),
                TokenRules.localKeyProperty(prefix));
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withSecretKey(
                        new SecretKeySpec(bytes, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(tokenRules)));
        return decoder;
    }

    /** Neither a local key nor an identity provider: the API is closed, and the log says why. */
    static ReactiveJwtDecoder refusingDecoder(String prefix, String api, String service) {
        log.warn(
                "No token issuer is configured ({}issuer-uri or jwk-set-uri, or {}): {} refuses every token",
                TokenRules.JWT,
                TokenRules.localKeyProperty(prefix),
                api);
        return token -> Mono.error(new BadJwtException("No token issuer is configured on this " + service));
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
