package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The reader's widget in a real browser (headless Chromium) against the running system: the demo article under its
 * strict CSP, a news site on another origin that embeds the widget with the two-line snippet, posting, replying,
 * the server's validation messages under their fields, a held comment seen by its author only, live updates between
 * two browsers, XSS payloads shown as inert text, and the "think again" prompt on an insulting draft. Skipped when no
 * Chromium is installed.
 */
class ReaderWidgetBrowserTests {

    private static final Duration MODERATION = Duration.ofSeconds(60);
    private static final String DEMO_ARTICLE = "us-sees-japan-s-korea-thaw";

    private static RunningSystem system;
    private static HttpServer site;
    /** The author's browser and another reader's: separate profiles, so separate localStorage. */
    private static ChromeDriver author;

    private static ChromeDriver reader;

    @BeforeAll
    static void start() throws IOException {
        Browsers.assumeInstalled();
        system = RunningSystem.get();
        site = embeddingSite(system.embeddingSite, system.commentService);
        author = Browsers.start();
        reader = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (author != null) {
            author.quit();
        }
        if (reader != null) {
            reader.quit();
        }
        if (site != null) {
            site.stop(0);
        }
    }

    @Test
    void aReaderPostsOnTheDemoArticleSeesItPublishedAndRepliesInAThread() throws IOException {
        open(author, system.commentService.resolve("/"));
        assertThat(author.getCurrentUrl()).endsWith("/articles/" + DEMO_ARTICLE);
        assertThat(author.findElement(By.tagName("h1")).getText()).contains("US sees Japan-S Korea thaw");
        WebElement form = author.findElement(By.cssSelector(".tb-respond"));
        assertThat(form.findElement(By.tagName("h3")).getText()).startsWith("Leave a Reply");
        assertThat(form.findElement(By.cssSelector(".tb-note")).getText())
                .isEqualTo("Your email address will not be published. Required fields are marked *");
        assertThat(form.findElements(By.tagName("label")))
                .extracting(WebElement::getText)
                .containsExactly(
                        "Name *",
                        "Email *",
                        "Website",
                        "Comment *",
                        "Notify me of follow-up comments by email",
                        "Notify me when my comment is published");
        // both off unless the reader ticks them
        assertThat(author.findElement(By.name("notifyPublished")).isSelected()).isFalse();
        assertThat(author.findElement(By.name("notifyReplies")).isSelected()).isFalse();

        String text = "A thaw would be welcome.\nLet us hope the pact survives: https://example.org/thaw "
                + UUID.randomUUID();
        String email = "ada-" + UUID.randomUUID() + "@example.org";
        fill(author, "Ada Reader", email, "https://ada.example.org", text);
        author.findElement(By.name("notifyReplies")).click();
        author.findElement(By.name("notifyPublished")).click();
        submit(author);
        // shown at once to its author, marked while pending (moderation here often decides before one can look)
        commentWithText(author, text);
        assertThat(author.findElement(By.cssSelector(".tb-form-status")).getText())
                .isIn("Thank you! Your comment is awaiting moderation.", "Your comment is published.");

        await().atMost(MODERATION)
                .ignoreExceptions()
                .until(() ->
                        !commentWithText(author, text).getAttribute("class").contains("tb-pending"));
        WebElement published = commentWithText(author, text);
        WebElement name = published.findElement(By.cssSelector(".tb-author a"));
        assertThat(name.getText()).isEqualTo("Ada Reader");
        assertThat(name.getAttribute("rel")).isEqualTo("nofollow ugc");
        assertThat(name.getAttribute("href")).isEqualTo("https://ada.example.org/");
        // the server's rendering: the line break as a <br>, the URL as a link with the server's rel
        assertThat(published.findElements(By.cssSelector(".tb-text br"))).hasSize(1);
        WebElement link = published.findElement(By.cssSelector(".tb-text a"));
        assertThat(link.getText()).isEqualTo("https://example.org/thaw");
        assertThat(link.getAttribute("href")).isEqualTo("https://example.org/thaw");
        assertThat(link.getAttribute("rel")).isEqualTo("nofollow ugc noopener");
        // both boxes reached the service: the new address is asked to confirm, once, and gets nothing else yet
        await().atMost(MODERATION)
                .until(() -> MailConfirmations.requests(system, email).size() == 1);
        assertThat(java.util.Arrays.stream(system.smtp.getReceivedMessages())
                        .filter(message -> MailConfirmations.to(message, email)))
                .hasSize(1);

        // a reader opening the article later sees it, with its relative date and count
        open(reader, system.commentService.resolve("/articles/" + DEMO_ARTICLE));
        WebElement seen = commentWithText(reader, text);
        assertThat(seen.findElement(By.tagName("time")).getText()).matches("just now|\\d+ minutes? ago");
        assertThat(reader.findElement(By.cssSelector(".tb-count")).getText()).matches("\\d+ Comments?");
        assertThat(reader.findElement(By.cssSelector(".tb-more")).isDisplayed()).isFalse();

        // replying: the form moves under the comment, the reply is published nested under it
        seen.findElement(By.cssSelector(".tb-reply")).click();
        assertThat(seen.findElements(By.cssSelector(".tb-respond"))).hasSize(1);
        assertThat(reader.switchTo().activeElement().getAttribute("name")).isEqualTo("text");
        String reply = "Agreed, a meeting is a start. " + UUID.randomUUID();
        fill(reader, "Grace", "grace@example.org", "", reply);
        submit(reader);
        await().atMost(MODERATION).ignoreExceptions().until(() -> {
            WebElement nested = commentWithText(reader, text).findElement(By.cssSelector(".tb-children .tb-comment"));
            return nested.getText().contains(reply)
                    && !nested.getAttribute("class").contains("tb-pending");
        });
        // the form went back to its place under the comments
        assertThat(reader.findElement(By.cssSelector(".tb > .tb-respond")).isDisplayed())
                .isTrue();

        assertNoCspViolations(author);
        assertNoCspViolations(reader);
        screenshot(reader, "demo-page.png");
    }

    @Test
    void validationErrorsAppearNextToTheFieldTheyName() {
        open(author, system.commentService.resolve("/articles/" + newArticle()));
        // the server's rules, in its problem detail: each message under the field it names, focus on the first
        fill(author, "", "ada@example.org", "ftp://example.org", "Hello");
        submit(author);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !error(author, "name").isEmpty());
        assertThat(error(author, "name")).isEqualTo("Name is required.");
        assertThat(error(author, "website")).isEqualTo("Website must be an http:// or https:// URL.");
        assertThat(author.findElement(By.name("name")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(author.switchTo().activeElement().getAttribute("name")).isEqualTo("name");
        assertThat(error(author, "email")).isEmpty();
        assertThat(error(author, "text")).isEmpty();
        assertThat(author.findElement(By.cssSelector(".tb-form-status")).getText())
                .isEqualTo("Please correct the marked fields.");

        // a limit the widget keeps no copy of: the server's message names it; the fields fixed meanwhile are cleared
        fill(author, "Ada", "ada@example.org", "", "");
        // typed key by key, ten thousand characters would be slow
        ((JavascriptExecutor) author)
                .executeScript("arguments[0].value = 'x'.repeat(10001)", author.findElement(By.name("text")));
        submit(author);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !error(author, "text").isEmpty());
        assertThat(error(author, "text")).isEqualTo("Comment must be at most 10000 characters.");
        assertThat(error(author, "name")).isEmpty();
        assertThat(error(author, "website")).isEmpty();

        // the server's email policy: its problem detail names the field, and the message is shown under it
        fill(author, "Ada", "ada..reader@example.org", "", "Hello");
        submit(author);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !error(author, "email").isEmpty());
        assertThat(error(author, "email")).startsWith("Email ");
        assertThat(author.findElement(By.name("email")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(author.findElements(By.cssSelector(".tb-comment"))).isEmpty();

        // a misspelt provider: the server suggests the fix, one click applies it
        fill(author, "Ada", "ada@gmial.com", "", "Hello");
        submit(author);
        WebElement suggestion = await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> author.findElement(By.cssSelector(".tb-error[data-field=email] .tb-suggestion")),
                        found -> found != null);
        assertThat(suggestion.getText()).isEqualTo("ada@gmail.com");
        assertThat(error(author, "email")).contains("Did you mean ada@gmail.com?");
        suggestion.click();
        assertThat(author.findElement(By.name("email")).getAttribute("value")).isEqualTo("ada@gmail.com");
        assertThat(error(author, "email")).isEmpty();
    }

    @Test
    void aHeldCommentIsShownAwaitingModerationToItsAuthorOnly() {
        String article = newArticle();
        URI page = system.commentService.resolve("/articles/" + article);
        open(author, page);
        String held = "Sources: https://a.example/1 https://b.example/2 https://c.example/3 " + UUID.randomUUID();
        fill(author, "Link Lover", "links@example.org", "", held);
        submit(author);
        assertThat(commentWithText(author, held).getText()).contains("Your comment is awaiting moderation.");
        // rendered as readers would get it: the server's html of the 202
        assertThat(commentWithText(author, held)
                        .findElements(By.cssSelector(".tb-text a[rel='nofollow ugc noopener']")))
                .extracting(link -> link.getAttribute("href"))
                .containsExactly("https://a.example/1", "https://b.example/2", "https://c.example/3");

        // a later, clean comment of the same author is published: moderation has run past the held one
        String clean = "No links this time. " + UUID.randomUUID();
        fill(author, "Link Lover", "links@example.org", "", clean);
        submit(author);
        open(reader, page);
        await().atMost(MODERATION).ignoreExceptions().until(() -> {
            reader.navigate().refresh();
            waitReady(reader);
            return commentWithText(reader, clean).isDisplayed();
        });
        assertThat(reader.findElement(By.cssSelector(".tb-list")).getText()).doesNotContain(held);
        assertThat(reader.findElement(By.cssSelector(".tb-count")).getText()).isEqualTo("1 Comment");

        // the author, even after a reload, still sees it, marked
        open(author, page);
        WebElement own = commentWithText(author, held);
        assertThat(own.getAttribute("class")).contains("tb-pending");
        assertThat(own.getText()).contains("Your comment is awaiting moderation.");
        assertThat(own.findElements(By.cssSelector(".tb-text a[rel='nofollow ugc noopener']")))
                .hasSize(3);
    }

    @Test
    void aCommentPublishedInOneWindowAppearsLiveInAnother() {
        String article = newArticle();
        URI page = system.commentService.resolve("/articles/" + article);
        open(reader, page);
        ((JavascriptExecutor) reader).executeScript("window.__sameDocument = true;");
        assertThat(reader.findElement(By.cssSelector(".tb-count")).getText()).isEqualTo("No comments yet");

        open(author, page);
        String text = "Live from the other window. " + UUID.randomUUID();
        fill(author, "Lin", "lin@example.org", "", text);
        submit(author);

        await().atMost(MODERATION)
                .ignoreExceptions()
                .until(() -> commentWithText(reader, text).isDisplayed());
        assertThat(((JavascriptExecutor) reader).executeScript("return window.__sameDocument"))
                .isEqualTo(true);
        assertThat(reader.findElement(By.cssSelector(".tb-count")).getText()).isEqualTo("1 Comment");
        assertThat(reader.findElement(By.cssSelector(".tb-live")).getAttribute("textContent"))
                .isEqualTo("New comment by Lin.");
    }

    @Test
    void xssPayloadsPostedThroughTheFormOnAnotherSiteAreShownAsInertText() {
        String article = newArticle();
        // a news site on another origin, without any CSP to save it: only the widget's own care protects the page
        URI page = system.embeddingSite.resolve("/articles/" + article);
        open(author, page);
        List<String> payloads = List.of(
                "<script>window.__xss = 1</script>",
                "<img src=x onerror=\"window.__xss = 2\">",
                "\"><svg onload=\"window.__xss = 3\">",
                "<a href=\"javascript:window.__xss = 4\">click me</a>",
                "https://example.org/\"onmouseover=\"window.__xss=5\"x=\"",
                "<iframe src=\"javascript:window.__xss = 6\"></iframe>",
                "javascript:window.__xss = 7");
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            // one address per payload: the engine would rightly hold a flood from one address
            fill(author, "<img src=x onerror=\"window.__xss = 9\">", "xss" + i + "@example.org", "", payload);
            submit(author);
            commentWithText(author, payload);
        }
        open(reader, page);
        await().atMost(MODERATION).ignoreExceptions().until(() -> {
            reader.navigate().refresh();
            waitReady(reader);
            return reader.findElements(By.cssSelector(".tb-list .tb-comment")).size() == payloads.size();
        });

        List<String> texts = reader.findElements(By.cssSelector(".tb-text")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(texts).containsExactlyInAnyOrderElementsOf(payloads);
        assertThat(reader.findElements(By.cssSelector(".tb-author")))
                .extracting(WebElement::getText)
                .containsOnly("<img src=x onerror=\"window.__xss = 9\">");
        for (ChromeDriver browser : List.of(author, reader)) {
            Object flag = ((JavascriptExecutor) browser).executeScript("return typeof window.__xss");
            assertThat(flag).isEqualTo("undefined");
            WebElement list = browser.findElement(By.cssSelector(".tb-list"));
            assertThat(list.findElements(By.cssSelector("script, img, svg, iframe, object, embed")))
                    .isEmpty();
            Object handlers = ((JavascriptExecutor) browser)
                    .executeScript(
                            "return Array.from(document.querySelectorAll('.tb *')).flatMap(e => Array.from(e.attributes))"
                                    + ".map(a => a.name).filter(n => n.startsWith('on') || n === 'x' || n === 'src')");
            assertThat((List<?>) handlers).isEmpty();
            // the one URL is a link, with its quote kept inside the href, never an attribute of its own
            for (WebElement link : list.findElements(By.cssSelector(".tb-text a"))) {
                assertThat(link.getAttribute("href")).startsWith("https://example.org/");
                assertThat(link.getAttribute("onmouseover")).isNull();
            }
        }
    }

    /**
     * Needs a real abuse model (the engine's interface alone scores every draft 0, and the widget then posts at once).
     */
    @Test
    void anInsultingDraftPromptsItsAuthorWhoMayEditItOrPostItAnyway() throws IOException {
        awaitDraftCheckReady();
        String article = newArticle();
        open(author, system.commentService.resolve("/articles/" + article));
        String draft = "You are a stupid idiot, you moron. " + UUID.randomUUID();
        fill(author, "Hot Head", "hot-" + UUID.randomUUID() + "@example.org", "", draft);
        submit(author);

        WebElement prompt = await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> author.findElement(By.cssSelector(".tb-nudge")), WebElement::isDisplayed);
        assertThat(prompt.findElement(By.cssSelector(".tb-nudge-text")).getText())
                .isEqualTo("Your comment may read as an insult.");
        assertThat(prompt.findElement(By.cssSelector(".tb-nudge-advice")).getText())
                .startsWith("Please criticise the argument, not the person");
        // read out first: focus is on the prompt, which names itself to assistive technology
        assertThat(author.switchTo().activeElement().getAttribute("class")).isEqualTo("tb-nudge-text");
        assertThat(prompt.getAttribute("role")).isEqualTo("group");
        assertThat(author.findElements(By.cssSelector(".tb-comment"))).isEmpty();
        screenshot(author, "nudge-prompt.png");

        // "Edit my comment": back to the draft, kept as written, nothing posted
        prompt.findElement(By.cssSelector(".tb-nudge-edit")).click();
        assertThat(prompt.isDisplayed()).isFalse();
        assertThat(author.switchTo().activeElement().getAttribute("name")).isEqualTo("text");
        assertThat(author.findElement(By.name("text")).getAttribute("value")).isEqualTo(draft);
        assertThat(author.findElements(By.cssSelector(".tb-comment"))).isEmpty();

        // an edit that keeps the insult is checked again; "Post anyway" posts it
        String edited = draft + " Sorry, but it is true.";
        author.findElement(By.name("text")).sendKeys(" Sorry, but it is true.");
        submit(author);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(prompt::isDisplayed);
        prompt.findElement(By.cssSelector(".tb-nudge-post")).click();
        commentWithText(author, edited);
        assertThat(prompt.isDisplayed()).isFalse();
        assertThat(author.findElement(By.cssSelector(".tb-form-status")).getText())
                .isIn("Thank you! Your comment is awaiting moderation.", "Your comment is published.");
        assertNoCspViolations(author);
    }

    @Test
    void whenTheDraftCheckFailsTheCommentIsPostedAsIfThereWereNone() {
        awaitDraftCheckReady();
        ChromeDriver offline = Browsers.start();
        try {
            open(offline, system.commentService.resolve("/articles/" + newArticle()));
            // the check cannot be reached (as on a network failure); posting still can
            offline.executeCdpCommand("Network.enable", Map.of());
            offline.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/comments/check")));
            String draft = "You are a stupid idiot, you moron. " + UUID.randomUUID();
            fill(offline, "Hot Head", "hot-" + UUID.randomUUID() + "@example.org", "", draft);
            submit(offline);
            commentWithText(offline, draft);
            assertThat(offline.findElement(By.cssSelector(".tb-nudge")).isDisplayed())
                    .isFalse();
        } finally {
            offline.quit();
        }
    }

    @Test
    void anOrdinaryDraftIsPostedWithoutAPrompt() {
        awaitDraftCheckReady();
        open(author, system.commentService.resolve("/articles/" + newArticle()));
        String text = "The council should publish the full budget before the vote. " + UUID.randomUUID();
        fill(author, "Calm Reader", "calm-" + UUID.randomUUID() + "@example.org", "", text);
        submit(author);
        commentWithText(author, text);
        assertThat(author.findElement(By.cssSelector(".tb-nudge")).isDisplayed())
                .isFalse();
    }

    /** The service trains its abuse model after start-up; until then a check is a 503 and the widget just posts. */
    private static void awaitDraftCheckReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest check = HttpRequest.newBuilder(
                        system.commentService.resolve("/api/articles/warm-up/comments/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Hello\"}"))
                .build();
        await().atMost(Duration.ofMinutes(2))
                .ignoreExceptions()
                .until(() ->
                        http.send(check, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    // ---------- helpers ----------

    private static void open(WebDriver browser, URI page) {
        browser.get(page.toString());
        waitReady(browser);
    }

    /** The widget marks its container ready once the stream is open and the first page shown. */
    private static void waitReady(WebDriver browser) {
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() ->
                        "ready".equals(browser.findElement(By.id("comments")).getAttribute("data-state")));
    }

    private static void fill(WebDriver browser, String name, String email, String website, String text) {
        set(browser, "name", name);
        set(browser, "email", email);
        set(browser, "website", website);
        set(browser, "text", text);
    }

    private static void set(WebDriver browser, String field, String value) {
        WebElement input = browser.findElement(By.name(field));
        input.clear();
        if (!value.isEmpty()) {
            input.sendKeys(value);
        }
    }

    private static void submit(WebDriver browser) {
        browser.findElement(By.cssSelector(".tb-submit")).click();
    }

    private static String error(WebDriver browser, String field) {
        return browser.findElement(By.cssSelector(".tb-error[data-field=" + field + "]"))
                .getText();
    }

    /** The comment whose text is exactly this, waiting for it to be shown. */
    private static WebElement commentWithText(WebDriver browser, String text) {
        Supplier<WebElement> find = () -> browser.findElements(By.cssSelector(".tb-comment")).stream()
                .filter(li ->
                        li.findElement(By.cssSelector(".tb-text")).getText().equals(text.strip()))
                .findFirst()
                .orElse(null);
        return await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(find::get, found -> found != null);
    }

    private static void assertNoCspViolations(ChromeDriver browser) {
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy"))
                .toList();
        assertThat(violations).isEmpty();
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path dir = Path.of(System.getProperty("system-tests.logs", "target/service-logs"))
                .resolveSibling("screenshots");
        Files.createDirectories(dir);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, document.body.scrollHeight)");
        Files.copy(
                browser.getScreenshotAs(OutputType.FILE).toPath(),
                dir.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String newArticle() {
        return "browser-" + UUID.randomUUID();
    }

    /** A minimal news site on another origin whose article pages embed the widget with the two-line snippet. */
    private static HttpServer embeddingSite(URI origin, URI commentService) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(origin.getHost(), origin.getPort()), 0);
        server.createContext("/articles/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/articles/".length());
            boolean valid = id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
            byte[] body = (valid ? """
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><title>Another newsroom</title></head>
                    <body><h1>An article on another site</h1>
                    <div id="comments" data-article-id="%s"></div>
                    <script src="%s/embed.js" async></script>
                    </body></html>
                    """.formatted(id, commentService) : "not found").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", valid ? "text/html;charset=utf-8" : "text/plain");
            exchange.sendResponseHeaders(valid ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
