package dev.talkback.moderation.security;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.test.StepVerifier;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.Tokens;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tokens the service trusts depending on its configuration; no key in the repository opens it. */
class TokenIssuerTests {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withUserConfiguration(Properties.class, SecurityConfiguration.class, ProblemResponses.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ModerationProperties.class)
    static class Properties {
    }

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
    void withTheLocalKeyItsTokensAreTrustedAndOthersAreNot() {
        runner.withPropertyValues("moderation.security.local-signing-key=" + Tokens.KEY).run(context -> {
            var decoder = context.getBean(ReactiveJwtDecoder.class);
            StepVerifier.create(decoder.decode(Tokens.admin("root")))
                    .assertNext(jwt -> assertThat(jwt.getSubject()).isEqualTo("root"))
                    .verifyComplete();
            StepVerifier.create(decoder.decode(Tokens.wronglySigned("eve"))).expectError().verify();
            StepVerifier.create(decoder.decode(Tokens.expired("eve"))).expectError().verify();
        });
    }

    @Test
    void aLocalKeyShorterThan32BytesStopsTheStart() {
        runner.withPropertyValues("moderation.security.local-signing-key=short").run(context ->
                assertThat(context).hasFailed());
    }

    @Test
    void rolesComeFromTheRolesClaimOrKeycloaksRealmRoles() {
        var converter = new SecurityConfiguration.RolesClaimConverter("roles");
        var jwt = org.springframework.security.oauth2.jwt.Jwt.withTokenValue("t").header("alg", "HS256")
                .claim("roles", java.util.List.of("moderator"))
                .claim("realm_access", java.util.Map.of("roles", java.util.List.of("ADMIN", "offline_access")))
                .build();
        assertThat(converter.convert(jwt)).extracting(Object::toString)
                .containsExactlyInAnyOrder("ROLE_MODERATOR", "ROLE_ADMIN", "ROLE_OFFLINE_ACCESS");
    }
}
