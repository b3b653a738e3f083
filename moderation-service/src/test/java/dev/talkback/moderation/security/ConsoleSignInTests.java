package dev.talkback.moderation.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.env.MockEnvironment;

/**
 * What the moderator console needs from the service before anyone has a token: its start-up configuration, the local
 * stack's sign-in, and the headers that keep injected markup from running in it.
 */
class ConsoleSignInTests extends EmbeddedServiceTests {

    @Test
    void theConsoleLearnsWhereToSignInAndItsPagesMayRunOnlyTheirOwnScripts() {
        var result = web.get()
                .uri("/moderate/config.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.localSignIn")
                .isEqualTo(true)
                // no identity provider in the tests: the console offers only the local form
                .jsonPath("$.issuer")
                .doesNotExist()
                .jsonPath("$.scope")
                .isEqualTo("openid profile")
                .returnResult();

        String policy = result.getResponseHeaders().getFirst("Content-Security-Policy");
        assertThat(policy)
                .contains(
                        "default-src 'none'",
                        "script-src 'self';",
                        "style-src 'self';",
                        "connect-src 'self';",
                        "frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(result.getResponseHeaders().getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(result.getResponseHeaders().getFirst("X-Content-Type-Options"))
                .isEqualTo("nosniff");

        web.get()
                .uri("/moderate")
                .exchange()
                .expectStatus()
                .isPermanentRedirect()
                .expectHeader()
                .location("/moderate/");
    }

    @Test
    void aLocalSignInGivesAShortLivedTokenWithTheChosenRoleOnly() {
        var signedIn = web.post()
                .uri("/moderate/local-sign-in")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Mia Rossi", "role", "MODERATOR"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(SignedIn.class)
                .returnResult()
                .getResponseBody();

        assertThat(signedIn.name()).isEqualTo("Mia Rossi");
        assertThat(signedIn.expiresIn()).isEqualTo(Duration.ofMinutes(30).toSeconds());
        String claims =
                new String(Base64.getUrlDecoder().decode(signedIn.accessToken().split("\\.")[1]));
        assertThat(claims)
                .contains("\"sub\":\"Mia Rossi\"", "\"roles\":[\"MODERATOR\"]", "\"aud\":\"talkback-moderation\"");

        as(signedIn.accessToken())
                .get()
                .uri("/api/moderation/comments")
                .exchange()
                .expectStatus()
                .isOk();
        as(signedIn.accessToken())
                .get()
                .uri("/api/moderation/stats")
                .exchange()
                .expectStatus()
                .isForbidden();

        String admin = web.post()
                .uri("/moderate/local-sign-in")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "root", "role", "ADMIN"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(SignedIn.class)
                .returnResult()
                .getResponseBody()
                .accessToken();
        as(admin).get().uri("/api/moderation/stats").exchange().expectStatus().isOk();
    }

    @Test
    void aSignInWithAnUnknownRoleOrAMarkupNameIsRefusedNamingTheField() {
        web.post()
                .uri("/moderate/local-sign-in")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "mia", "role", "ROOT"))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("role");
        web.post()
                .uri("/moderate/local-sign-in")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "<img src=x onerror=alert(1)>", "role", "ADMIN"))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("name");
        web.post()
                .uri("/moderate/local-sign-in")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "m".repeat(61), "role", "ADMIN"))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    @Test
    void withoutTheLocalKeyThereIsNoLocalSignIn() {
        var runner = new ReactiveWebApplicationContextRunner()
                .withUserConfiguration(TokenIssuerTests.Properties.class, LocalSignInController.class)
                .withBean(Clock.class, Clock::systemUTC);
        runner.run(context -> assertThat(context).doesNotHaveBean(LocalSignInController.class));
        runner.withPropertyValues("moderation.security.local-signing-key=" + Tokens.KEY, "spring.profiles.active=local")
                .run(context -> assertThat(context).hasSingleBean(LocalSignInController.class));
    }

    @Test
    void withAnIdentityProviderTheConsoleMayTalkToItsOriginOnly() {
        var environment = new MockEnvironment()
                .withProperty(
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                        "https://id.news.example:8443/realms/news");
        assertThat(SecurityConfiguration.contentSecurityPolicy(environment))
                .contains("connect-src 'self' https://id.news.example:8443;");
    }

    record SignedIn(String accessToken, long expiresIn, String name) {}
}
