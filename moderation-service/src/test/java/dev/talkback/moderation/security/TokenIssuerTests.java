package dev.talkback.moderation.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.Tokens;
import dev.talkback.support.security.RolesClaimConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.test.StepVerifier;

/** Which tokens the service trusts depending on its configuration; no key in the repository opens it. */
class TokenIssuerTests {

    private static final String LOCAL_KEY = "moderation.security.local-signing-key=";

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withUserConfiguration(Properties.class, SecurityConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ModerationProperties.class)
    static class Properties {}

    @Test
    void withoutAnyIssuerEveryTokenIsRefused() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ReactiveJwtDecoder.class);
            StepVerifier.create(context.getBean(ReactiveJwtDecoder.class).decode(Tokens.admin("root")))
                    .expectError(BadJwtException.class)
                    .verify();
        });
    }

    @Test
    void withTheLocalKeyOnlyItsExpiringTokensForThisServiceFromTheLocalIssuerAreTrusted() {
        runner.withPropertyValues(LOCAL_KEY + Tokens.KEY, "spring.profiles.active=local")
                .run(context -> {
                    var decoder = context.getBean(ReactiveJwtDecoder.class);
                    StepVerifier.create(decoder.decode(Tokens.admin("root")))
                            .assertNext(jwt -> assertThat(jwt.getSubject()).isEqualTo("root"))
                            .verifyComplete();
                    StepVerifier.create(decoder.decode(Tokens.wronglySigned("eve")))
                            .expectError()
                            .verify();
                    StepVerifier.create(decoder.decode(Tokens.expired("eve")))
                            .expectError()
                            .verify();
                    StepVerifier.create(decoder.decode(Tokens.withoutExpiry("eve")))
                            .expectError(BadJwtException.class)
                            .verify();
                    StepVerifier.create(decoder.decode(Tokens.ofAnotherIssuer("eve")))
                            .expectError(BadJwtException.class)
                            .verify();
                    StepVerifier.create(decoder.decode(Tokens.forAnotherService("eve")))
                            .expectError(BadJwtException.class)
                            .verify();
                });
    }

    @Test
    void aLocalKeyShorterThan32BytesStopsTheStart() {
        runner.withPropertyValues(LOCAL_KEY + "short", "spring.profiles.active=local")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aLocalKeyWithoutTheLocalProfileStopsTheStart() {
        runner.withPropertyValues(LOCAL_KEY + Tokens.KEY)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'local' profile is not active"));
        runner.withPropertyValues(LOCAL_KEY + Tokens.KEY, "spring.profiles.active=production")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aKeyFromTheRepositoryStopsTheStartEvenLocally() {
        for (String published : List.of(
                "dev-only-local-signing-key-not-for-production-0123456789",
                "system-tests-signing-key-0123456789abcdef",
                "tests-only-signing-key-0123456789abcdef")) {
            runner.withPropertyValues(LOCAL_KEY + published, "spring.profiles.active=local")
                    .run(context -> assertThat(context)
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining("published in the Talkback repository"));
        }
    }

    /** Spring Boot's own decoder (here from a public key) applies the same rules as the local one. */
    @Test
    void theIdentityProvidersTokensMustExpireNameThisServiceAndComeFromTheIssuer(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path publicKey = dir.resolve("idp.pem");
        Files.writeString(
                publicKey,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n",
                StandardCharsets.US_ASCII);
        String issuer = "https://idp.example/realms/news";
        Date in5Minutes = Date.from(Instant.now().plus(Duration.ofMinutes(5)));
        runner.withConfiguration(AutoConfigurations.of(ReactiveOAuth2ResourceServerAutoConfiguration.class))
                .withPropertyValues(
                        "spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey,
                        "moderation.security.issuer=" + issuer)
                .run(context -> {
                    var decoder = context.getBean(ReactiveJwtDecoder.class);
                    StepVerifier.create(decoder.decode(rs256(
                                    keys,
                                    new JWTClaimsSet.Builder()
                                            .subject("root")
                                            .issuer(issuer)
                                            .audience("talkback-moderation")
                                            .expirationTime(in5Minutes))))
                            .assertNext(jwt -> assertThat(jwt.getSubject()).isEqualTo("root"))
                            .verifyComplete();
                    StepVerifier.create(decoder.decode(rs256(
                                    keys,
                                    new JWTClaimsSet.Builder()
                                            .subject("eve")
                                            .issuer(issuer)
                                            .audience("talkback-moderation"))))
                            .expectError(BadJwtException.class)
                            .verify();
                    StepVerifier.create(decoder.decode(rs256(
                                    keys,
                                    new JWTClaimsSet.Builder()
                                            .subject("eve")
                                            .issuer(issuer)
                                            .audience("talkback-notification")
                                            .expirationTime(in5Minutes))))
                            .expectError(BadJwtException.class)
                            .verify();
                    StepVerifier.create(decoder.decode(rs256(
                                    keys,
                                    new JWTClaimsSet.Builder()
                                            .subject("eve")
                                            .issuer("https://other.example")
                                            .audience("talkback-moderation")
                                            .expirationTime(in5Minutes))))
                            .expectError(BadJwtException.class)
                            .verify();
                });
    }

    @Test
    void aJwkSetWithoutAnIssuerStopsTheStart() {
        runner.withConfiguration(AutoConfigurations.of(ReactiveOAuth2ResourceServerAutoConfiguration.class))
                .withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=https://idp.example/jwks")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("issuer-uri"));
    }

    @Test
    void rolesComeFromTheRolesClaimOrKeycloaksRealmRolesWithTheirExactNames() {
        var converter = new RolesClaimConverter("roles");
        var jwt = Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .claim("roles", List.of("moderator", "MODERATOR"))
                .claim("realm_access", Map.of("roles", List.of("ADMIN", "offline_access")))
                .build();
        assertThat(converter.convert(jwt))
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("ROLE_moderator", "ROLE_MODERATOR", "ROLE_ADMIN", "ROLE_offline_access");
    }

    private static String rs256(KeyPair keys, JWTClaimsSet.Builder claims) throws Exception {
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }
}
