package dev.talkback.moderation.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Every endpoint × every kind of caller → the expected status, with real HS256 tokens checked by the real filter
 * chain. "Allowed" requests are built so that they change nothing other tests could see (unknown ids, invalid bodies,
 * settings of an article of their own), and each expects its exact status.
 */
class AuthorizationMatrixTests extends EmbeddedServiceTests {

    enum Caller {
        ANONYMOUS,
        EXPIRED,
        WRONG_SIGNATURE,
        NO_EXPIRY,
        OTHER_ISSUER,
        OTHER_AUDIENCE,
        NO_ROLE,
        LOWER_CASE_ROLE,
        MODERATOR,
        ADMIN;

        @Nullable
        String token() {
            return switch (this) {
                case ANONYMOUS -> null;
                case EXPIRED -> Tokens.expired("eve");
                case WRONG_SIGNATURE -> Tokens.wronglySigned("eve");
                case NO_EXPIRY -> Tokens.withoutExpiry("eve");
                case OTHER_ISSUER -> Tokens.ofAnotherIssuer("eve");
                case OTHER_AUDIENCE -> Tokens.forAnotherService("eve");
                case NO_ROLE -> Tokens.withoutRole("reader");
                case LOWER_CASE_ROLE ->
                    Tokens.token(Tokens.KEY, "eve", List.of("admin", "moderator"), java.time.Duration.ofMinutes(5));
                case MODERATOR -> Tokens.moderator("mia");
                case ADMIN -> Tokens.admin("root");
            };
        }
    }

    enum Needs {
        NOTHING,
        MODERATOR,
        ADMIN
    }

    record Endpoint(
            HttpMethod method, String path, @Nullable Object body, Needs needs, int allowedStatus) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(HttpMethod.GET, "/api/moderation/comments", null, Needs.MODERATOR, 200),
            new Endpoint(HttpMethod.GET, "/api/moderation/comments/unknown-id", null, Needs.MODERATOR, 404),
            new Endpoint(
                    HttpMethod.POST,
                    "/api/moderation/comments/unknown-id/decision",
                    Map.of("action", "APPROVE"),
                    Needs.MODERATOR,
                    404),
            new Endpoint(
                    HttpMethod.POST,
                    "/api/moderation/comments/decisions",
                    Map.of("ids", List.of("unknown-id"), "action", "REJECT"),
                    Needs.MODERATOR,
                    200),
            new Endpoint(HttpMethod.POST, "/api/moderation/comments/unknown-id/claim", null, Needs.MODERATOR, 404),
            new Endpoint(HttpMethod.DELETE, "/api/moderation/comments/unknown-id/claim", null, Needs.MODERATOR, 404),
            new Endpoint(HttpMethod.GET, "/api/moderation/counts", null, Needs.MODERATOR, 200),
            new Endpoint(HttpMethod.GET, "/api/moderation/bans", null, Needs.ADMIN, 200),
            new Endpoint(
                    HttpMethod.POST,
                    "/api/moderation/bans",
                    Map.of("type", "IP", "value", "x", "reason", "r"),
                    Needs.ADMIN,
                    422),
            new Endpoint(HttpMethod.DELETE, "/api/moderation/bans/unknown-id", null, Needs.ADMIN, 404),
            new Endpoint(HttpMethod.GET, "/api/moderation/settings", null, Needs.ADMIN, 200),
            new Endpoint(HttpMethod.PUT, "/api/moderation/settings", Map.of("maxLinks", -1), Needs.ADMIN, 422),
            new Endpoint(HttpMethod.GET, "/api/moderation/articles/matrix-article/settings", null, Needs.ADMIN, 200),
            new Endpoint(
                    HttpMethod.PUT,
                    "/api/moderation/articles/matrix-article/settings",
                    Map.of("maxLinks", 5),
                    Needs.ADMIN,
                    200),
            new Endpoint(HttpMethod.GET, "/api/moderation/audit", null, Needs.ADMIN, 200),
            new Endpoint(HttpMethod.GET, "/api/moderation/stats", null, Needs.ADMIN, 200),
            new Endpoint(
                    HttpMethod.GET,
                    "/api/moderation/dead-letters?topic=comments.moderated.v1-dlt&limit=1",
                    null,
                    Needs.ADMIN,
                    200),
            new Endpoint(HttpMethod.POST, "/api/moderation/dead-letters/redrive", Map.of(), Needs.ADMIN, 422),
            new Endpoint(HttpMethod.GET, "/api/moderation/unknown", null, Needs.ADMIN, 403),
            // the console's start-up configuration and the local stack's sign-in (the tests run with the local key)
            new Endpoint(HttpMethod.GET, "/moderate/config.json", null, Needs.NOTHING, 200),
            new Endpoint(
                    HttpMethod.POST,
                    "/moderate/local-sign-in",
                    Map.of("name", "mia", "role", "MODERATOR"),
                    Needs.NOTHING,
                    200),
            // nothing under /actuator on the public port (it is on the management port): 404 to anyone
            new Endpoint(HttpMethod.GET, "/actuator", null, Needs.NOTHING, 404),
            new Endpoint(HttpMethod.GET, "/actuator/prometheus", null, Needs.NOTHING, 404),
            new Endpoint(HttpMethod.GET, "/actuator/info", null, Needs.NOTHING, 404),
            new Endpoint(HttpMethod.GET, "/actuator/health", null, Needs.NOTHING, 404),
            new Endpoint(HttpMethod.GET, "/actuator/health/liveness", null, Needs.NOTHING, 404),
            new Endpoint(HttpMethod.GET, "/actuator/health/readiness", null, Needs.NOTHING, 404),
            new Endpoint(HttpMethod.GET, "/actuator/openapi", null, Needs.NOTHING, 404),
            // nor the API description: anything else than the API is refused
            new Endpoint(HttpMethod.GET, "/v3/api-docs", null, Needs.ADMIN, 403),
            new Endpoint(HttpMethod.GET, "/swagger-ui/index.html", null, Needs.ADMIN, 403));

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(endpoint, caller, expected(endpoint, caller)));
            }
        }
        return cases.stream();
    }

    static int expected(Endpoint endpoint, Caller caller) {
        if (endpoint.needs() == Needs.NOTHING) {
            // a public endpoint ignores a bad token only if none is sent; a sent token is always checked
            return switch (caller) {
                case ANONYMOUS, NO_ROLE, LOWER_CASE_ROLE, MODERATOR, ADMIN -> endpoint.allowedStatus();
                case EXPIRED, WRONG_SIGNATURE, NO_EXPIRY, OTHER_ISSUER, OTHER_AUDIENCE -> 401;
            };
        }
        return switch (caller) {
            case ANONYMOUS, EXPIRED, WRONG_SIGNATURE, NO_EXPIRY, OTHER_ISSUER, OTHER_AUDIENCE -> 401;
            case NO_ROLE, LOWER_CASE_ROLE -> 403;
            case MODERATOR -> endpoint.needs() == Needs.MODERATOR ? endpoint.allowedStatus() : 403;
            case ADMIN -> endpoint.allowedStatus();
        };
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    void answersEveryCallerAsExpected(Endpoint endpoint, Caller caller, int expected) {
        var request = web.method(endpoint.method()).uri(endpoint.path());
        String token = caller.token();
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (endpoint.body() != null) {
            request.contentType(MediaType.APPLICATION_JSON).bodyValue(endpoint.body());
        }
        var result = request.exchange().expectBody(String.class).returnResult();

        assertThat(result.getStatus().value()).as("%s as %s", endpoint, caller).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result.getResponseBody()).contains("\"status\":" + expected);
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                    .startsWith("Bearer");
        }
    }

    @Test
    void theManagementPortServesProbesMetricsAndTheApiDescriptionWithoutTokenOrDetails() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            var result = management()
                    .get()
                    .uri(path)
                    .exchange()
                    .expectBody(String.class)
                    .returnResult();
            assertThat(result.getStatus().value())
                    .as(path + ": " + result.getResponseBody())
                    .isEqualTo(200);
            assertThat(JSON.readTree(result.getResponseBody()).propertyNames())
                    .as(path)
                    .isSubsetOf("status", "groups")
                    .doesNotContain("components", "details");
        }
        management()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
        management().get().uri("/actuator/info").exchange().expectStatus().isOk();
        management()
                .get()
                .uri("/actuator/openapi")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/moderation/comments/{id}/decision'].post")
                .exists()
                .jsonPath("$.components.securitySchemes.bearer.scheme")
                .isEqualTo("bearer");
        management().get().uri("/actuator/swagger-ui").exchange().expectStatus().is3xxRedirection();
    }
}
