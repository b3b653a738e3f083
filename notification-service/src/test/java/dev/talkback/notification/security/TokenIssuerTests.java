package dev.talkback.notification.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.Tokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.test.StepVerifier;

/**
 * When the local signing key is accepted: with the {@code local} profile only, never a key from the repository.
 * (Which tokens are accepted, end to end: the authorization matrix of {@code NotificationFlowScenarios}.)
 */
class TokenIssuerTests {

    private static final String LOCAL_KEY = "notification.security.local-signing-key=";

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withUserConfiguration(Properties.class, SecurityConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NotificationProperties.class)
    static class Properties {}

    @Test
    void withTheLocalProfileTheLocalKeysTokensForThisServiceAreTrusted() {
        runner.withPropertyValues(LOCAL_KEY + Tokens.KEY, "spring.profiles.active=local")
                .run(context -> {
                    var decoder = context.getBean(ReactiveJwtDecoder.class);
                    StepVerifier.create(decoder.decode(Tokens.admin("root")))
                            .expectNextCount(1)
                            .verifyComplete();
                    StepVerifier.create(decoder.decode(Tokens.withoutExpiry("eve")))
                            .expectError(BadJwtException.class)
                            .verify();
                    StepVerifier.create(decoder.decode(Tokens.forAnotherService("eve")))
                            .expectError(BadJwtException.class)
                            .verify();
                });
    }

    @Test
    void aLocalKeyWithoutTheLocalProfileStopsTheStart() {
        runner.withPropertyValues(LOCAL_KEY + Tokens.KEY)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'local' profile is not active"));
    }

    @Test
    void aKeyFromTheRepositoryStopsTheStartEvenLocally() {
        runner.withPropertyValues(
                        LOCAL_KEY + "dev-only-local-signing-key-not-for-production-0123456789",
                        "spring.profiles.active=local")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("published in the Talkback repository"));
    }
}
