package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The widget's allow-list, in a real browser (headless Chromium): the widget as comment-service's jar serves it,
 * against a stand-in for the service that sends, in a comment's {@code html}, what the real one never does (script,
 * event handlers, {@code javascript:} links, other elements and attributes). Only the paragraphs, line breaks and
 * http(s) links the server's renderer produces reach the page, in the list, in the author's pending comment and
 * once its status says it is published. Needs none of the running system. Skipped when no Chromium is installed.
 */
class ReaderWidgetHtmlBrowserTests {

    private static final String ARTICLE = "crafted-html";
    private static final String LINK_REL = "nofollow ugc noopener";
    private static final String OWN_ID = "01M8J44VAMYQVTBDPW9BK0Z5D6";

    /** Tags the widget must never put into the page, whatever the html says. */
    private static final String FOREIGN = "script, img, svg, iframe, style, form, input, object, embed, template";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static HttpServer service;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        Browsers.assumeInstalled();
        service = standIn(widgetScript());
        browser = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop(0);
        }
    }

    @Test
    void onlyTheServersParagraphsBreaksAndHttpLinksReachThePage() {
        open();
        WebElement link = comment("c1").findElement(By.cssSelector(".tb-text a"));
        assertThat(link.getText()).isEqualTo("https://example.org/a");
        assertThat(link.getAttribute("href")).isEqualTo("https://example.org/a");
        assertThat(attributes(link)).containsExactlyInAnyOrder("href", "rel");
        assertThat(link.getAttribute("rel")).isEqualTo(LINK_REL);
        List<WebElement> paragraphs = comment("c1").findElements(By.cssSelector(".tb-text p"));
        assertThat(paragraphs)
                .extracting(WebElement::getText)
                .containsExactly("Read https://example.org/a\nsecond line", "A paragraph.");
        assertThat(comment("c1").findElements(By.cssSelector(".tb-text br"))).hasSize(1);

        WebElement crafted = comment("c2").findElement(By.cssSelector(".tb-text"));
        // a javascript: link is kept as its text; every element outside the list is dropped with its content
        assertThat(crafted.getText()).isEqualTo("before click after");
        assertThat(crafted.findElements(By.tagName("a"))).isEmpty();
        assertInert();
    }

    @Test
    void theAuthorsOwnCommentIsRenderedFromTheHtmlOfThe202AndThenOfItsStatus() {
        open();
        browser.findElement(By.name("name")).sendKeys("Ada");
        browser.findElement(By.name("email")).sendKeys("ada@example.org");
        browser.findElement(By.name("text")).sendKeys("Mine: https://example.org/m");
        browser.findElement(By.cssSelector(".tb-submit")).click();

        WebElement pending = await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> comment(OWN_ID), found -> found != null);
        assertThat(pending.getAttribute("class")).contains("tb-pending");
        assertThat(pending.findElement(By.cssSelector(".tb-text")).getText()).isEqualTo("Mine: https://example.org/m");
        assertThat(pending.findElement(By.cssSelector(".tb-text a")).getAttribute("rel"))
                .isEqualTo(LINK_REL);
        assertInert();

        // the status check says published, with its html: the comment is shown from that, as any other
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> !comment(OWN_ID).getAttribute("class").contains("tb-pending"));
        WebElement published = comment(OWN_ID).findElement(By.cssSelector(".tb-text"));
        assertThat(published.getText()).isEqualTo("Published: https://example.org/p");
        WebElement link = published.findElement(By.tagName("a"));
        assertThat(attributes(link)).containsExactlyInAnyOrder("href", "rel");
        assertThat(link.getAttribute("rel")).isEqualTo(LINK_REL);
        assertInert();
    }

    private static void open() {
        browser.get(origin() + "/articles/" + ARTICLE);
        // the other test's own comment, kept in this browser, is not this one's business
        browser.executeScript("localStorage.clear()");
        browser.navigate().refresh();
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() ->
                        "ready".equals(browser.findElement(By.id("comments")).getAttribute("data-state")));
    }

    private static WebElement comment(String id) {
        return browser.findElement(By.id("comment-" + id));
    }

    private static List<String> attributes(WebElement element) {
        List<?> names =
                (List<?>) browser.executeScript("return Array.from(arguments[0].attributes).map(a => a.name)", element);
        return names.stream().map(String::valueOf).toList();
    }

    /** Nothing ran, nothing foreign was added, no element carries a handler or a source. */
    private static void assertInert() {
        assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
        assertThat(browser.findElements(By.cssSelector(".tb-list :is(" + FOREIGN + ")")))
                .isEmpty();
        Object attributes = browser.executeScript(
                "return Array.from(document.querySelectorAll('.tb-text *')).flatMap(e => Array.from(e.attributes))"
                        + ".map(a => a.name).filter(n => n !== 'href' && n !== 'rel')");
        assertThat((List<?>) attributes).isEmpty();
    }

    // ---------- the stand-in for comment-service ----------

    private static String origin() {
        return "http://127.0.0.1:" + service.getAddress().getPort();
    }

    /** The widget exactly as comment-service serves it: the file in the jar the build produced. */
    private static byte[] widgetScript() throws IOException {
        try (JarFile jar = new JarFile(System.getProperty("comment-service.jar"));
                InputStream in = jar.getInputStream(jar.getEntry("BOOT-INF/classes/site/embed.js"))) {
            return in.readAllBytes();
        }
    }

    private static HttpServer standIn(byte[] script) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String api = "/api/articles/" + ARTICLE + "/comments";
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/articles/" + ARTICLE)) {
                send(exchange, 200, "text/html;charset=utf-8", """
                        <!DOCTYPE html>
                        <html lang="en"><head><meta charset="utf-8"><title>Crafted</title></head>
                        <body><div id="comments" data-article-id="%s"></div>
                        <script src="/embed.js" async></script></body></html>
                        """.formatted(ARTICLE));
            } else if (path.equals("/embed.js")) {
                send(exchange, 200, "text/javascript;charset=utf-8", script);
            } else if (path.equals(api) && method.equals("GET")) {
                send(
                        exchange,
                        200,
                        "application/json",
                        json(Map.of(
                                "comments",
                                List.of(
                                        comment(
                                                "c1",
                                                "<p>Read <a href=\"https://example.org/a\" rel=\"nofollow\""
                                                        + " onclick=\"window.__xss = 1\" class=\"x\" target=\"_blank\""
                                                        + " style=\"color:red\">https://example.org/a</a><br />second line</p>"
                                                        + "<p title=\"t\">A paragraph.</p>"),
                                        comment(
                                                "c2",
                                                "<p>before<script>window.__xss = 2</script>"
                                                        + "<img src=x onerror=\"window.__xss = 3\">"
                                                        + " <a href=\"javascript:window.__xss = 4\">click</a> "
                                                        + "<svg><a href=\"https://evil.example/\">svg</a></svg>"
                                                        + "<iframe srcdoc=\"<script>parent.__xss = 5</script>\"></iframe>"
                                                        + "after</p><style>.tb { display: none }</style>"
                                                        + "<form><input name=\"x\"></form>")),
                                "total",
                                2)));
            } else if (path.equals(api) && method.equals("POST")) {
                String statusUrl = "/api/comments/" + OWN_ID + "/status?token=t";
                send(
                        exchange,
                        202,
                        "application/json",
                        json(Map.of(
                                "id",
                                OWN_ID,
                                "status",
                                "PENDING",
                                "statusUrl",
                                statusUrl,
                                "statusToken",
                                "t",
                                "html",
                                "<p>Mine: <a href=\"https://example.org/m\" rel=\"nofollow ugc noopener\">https://example.org/m</a>"
                                        + "<img src=x onerror=\"window.__xss = 6\"></p>")));
            } else if (path.equals("/api/comments/" + OWN_ID + "/status")) {
                send(
                        exchange,
                        200,
                        "application/json",
                        json(Map.of(
                                "id",
                                OWN_ID,
                                "status",
                                "PUBLISHED",
                                "html",
                                "<p>Published: <a href=\"https://example.org/p\" onmouseover=\"window.__xss = 7\">"
                                        + "https://example.org/p</a><script>window.__xss = 8</script></p>")));
            } else {
                // no stream, no draft check, no stylesheet: the widget does without them
                send(exchange, 404, "text/plain", "not here");
            }
        });
        server.start();
        return server;
    }

    private static Map<String, Object> comment(String id, String html) {
        return Map.of(
                "id",
                id,
                "name",
                "Crafted",
                "text",
                "(not used by the widget)",
                "html",
                html,
                "publishedAt",
                "2026-11-28T22:24:23.196Z",
                "replies",
                List.of());
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
