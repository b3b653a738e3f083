package dev.talkback.comments.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.EmbeddedBackendTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What a news site relies on to embed the widget: CORS for its origin only (on the list, on posting and on the stream),
 * the script and stylesheets served as such and cacheable, and the demo pages under a strict CSP.
 */
@EmbeddedBackendTest
class ReaderSiteTests {

    private static final String SITE = "http://localhost:8080";
    private static final String OTHER = "https://evil.example";

    @Autowired
    WebTestClient client;

    @Test
    void theConfiguredSiteOriginMayReadPostAndStreamAnotherMayNot() {
        client.get()
                .uri("/api/articles/cors-demo/comments")
                .header(HttpHeaders.ORIGIN, SITE)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, SITE);
        client.get()
                .uri("/api/articles/cors-demo/comments")
                .header(HttpHeaders.ORIGIN, OTHER)
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);

        // the preflight of the widget's JSON POST
        client.options()
                .uri("/api/articles/cors-demo/comments")
                .header(HttpHeaders.ORIGIN, SITE)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, SITE)
                .expectHeader()
                .value(
                        HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS,
                        m -> assertThat(m).contains("POST"));
        client.options()
                .uri("/api/articles/cors-demo/comments")
                .header(HttpHeaders.ORIGIN, OTHER)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);

        var stream = client.get()
                .uri("/api/articles/cors-demo/comments/stream")
                .header(HttpHeaders.ORIGIN, SITE)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, SITE)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {});
        stream.getResponseBody().take(1).blockLast(Duration.ofSeconds(10));
    }

    @Test
    void theScriptIsJavaScriptCacheableAndRevalidatedByItsETag() {
        var result = client.get()
                .uri("/embed.js")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("text/javascript;charset=UTF-8")
                .expectHeader()
                .value(
                        HttpHeaders.CACHE_CONTROL,
                        c -> assertThat(c).contains("public").contains("max-age=300"))
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .valueEquals("Cross-Origin-Resource-Policy", "cross-origin")
                .expectBody(String.class)
                .returnResult();
        assertThat(result.getResponseBody()).contains("data-article-id").doesNotContain("innerHTML");
        String etag = result.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();
        client.get()
                .uri("/embed.js")
                .header(HttpHeaders.IF_NONE_MATCH, etag)
                .exchange()
                .expectStatus()
                .isNotModified()
                .expectBody()
                .isEmpty();

        client.get()
                .uri("/embed.css")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("text/css;charset=UTF-8");
        client.get()
                .uri("/site.css")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType("text/css;charset=UTF-8");
    }

    @Test
    void theDemoArticleIsServedUnderAStrictContentSecurityPolicyWithTheWidgetSnippet() {
        client.get()
                .uri("/")
                .exchange()
                .expectStatus()
                .isSeeOther()
                .expectHeader()
                .location("/articles/us-sees-japan-s-korea-thaw");

        String page = client.get()
                .uri("/articles/us-sees-japan-s-korea-thaw")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader()
                .value(
                        "Content-Security-Policy",
                        csp -> assertThat(csp)
                                .contains("default-src 'self'")
                                .contains("script-src 'self';")
                                .contains("style-src 'self';")
                                .doesNotContain("unsafe-inline")
                                .doesNotContain("unsafe-eval"))
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(page)
                .contains("<h1>US sees Japan-S Korea thaw as last hope to save key intel pact</h1>")
                .contains("<h2>Raising Alarm</h2>")
                .contains("<div id=\"comments\" data-article-id=\"us-sees-japan-s-korea-thaw\"></div>")
                .contains("<script src=\"/embed.js\" async></script>")
                // no inline script or style: everything comes from files the CSP allows
                .doesNotContain("<script>")
                .doesNotContain("<style")
                .doesNotContain(" style=")
                // the site's footer of the export is left out; the widget brings the comment form
                .doesNotContain("About Admin");
    }

    @Test
    void anyOtherArticleGetsAPlaceholderPageWithTheWidgetAndBadIdsAreRefused() {
        String page = client.get()
                .uri("/articles/japan-korea-intel-pact")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .exists("Content-Security-Policy")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(page).contains("data-article-id=\"japan-korea-intel-pact\"");

        client.method(HttpMethod.GET)
                .uri("/articles/{id}", "<script>")
                .exchange()
                .expectStatus()
                .isBadRequest();
    }
}
