package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.Topics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The moderator console's administration pages in a real browser (headless Chromium) against the running system,
 * signed in with the local sign-in: a ban that rejects its author's held comment, listed, audited and removed;
 * settings whose invalid values show the API's own message next to the field and whose valid changes survive a
 * reload; the statistics with their chart and table; a moderator kept out; a ban reason with markup shown as text.
 * The store is shared with the other system tests: every test uses its own addresses and articles, and compares
 * what the page shows with what the API says rather than with fixed counts. Skipped when no Chromium is installed.
 */
class ModeratorConsoleAdminBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PAGE = Duration.ofSeconds(20);

    private static RunningSystem system;
    private static ChromeDriver browser;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<String> bansToRemove = new ArrayList<>();

    @BeforeAll
    static void start() {
        Browsers.assumeInstalled();
        system = RunningSystem.get();
        browser = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void removeLeftoverBans() throws Exception {
        for (String id : bansToRemove) {
            send("DELETE", "/api/moderation/bans/" + id, null, adminToken());
        }
    }

    @Test
    void anAdministratorBansAnAuthorWhoseHeldCommentIsRejectedSeesTheBanListedAndAuditedThenRemovesIt()
            throws Exception {
        String email = "banned-" + UUID.randomUUID() + "@example.org";
        String held = postHeldComment(email);
        String admin = "ada-" + shortId();
        signIn(admin, "ADMIN");
        openView("bans");

        WebElement form = browser.findElement(By.id("ban-form"));
        new Select(form.findElement(By.name("type"))).selectByValue("EMAIL");
        form.findElement(By.name("value")).sendKeys(email);
        form.findElement(By.name("reason")).sendKeys("Link spam");
        new Select(form.findElement(By.name("expiry"))).selectByValue("never");
        browser.findElement(By.id("ban-form-reject-existing")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement result =
                await().atMost(PAGE).until(() -> browser.findElement(By.id("ban-result")), WebElement::isDisplayed);
        assertThat(result.getText()).contains("1 existing comment rejected");
        assertThat(status()).contains("1 existing comment rejected");
        // the author's held comment is rejected, as a human decision by this administrator
        JsonNode rejected = await().atMost(WAIT)
                .until(
                        () -> moderation(held),
                        c -> c != null
                                && c.get("decision").get("outcome").asString().equals("REJECTED"));
        assertThat(rejected.get("decision").get("decidedBy").asString()).isEqualTo(admin);

        WebElement row = await().atMost(PAGE).ignoreExceptions().until(() -> banRow(email), found -> found != null);
        String banId = row.getAttribute("data-ban-id");
        bansToRemove.add(banId);
        assertThat(row.findElement(By.cssSelector(".ban-type")).getText()).isEqualTo("EMAIL");
        assertThat(row.findElement(By.cssSelector(".ban-reason")).getText()).isEqualTo("Link spam");
        assertThat(row.findElement(By.cssSelector(".ban-created-by")).getText()).isEqualTo(admin);
        assertThat(row.findElement(By.cssSelector(".ban-expires")).getText()).isEqualTo("Never");
        assertThat(row.findElement(By.cssSelector(".ban-active")).getText()).isEqualTo("Active");
        screenshot("admin-bans.png");

        // the audit log lists it, filtered by its target
        openView("audit");
        WebElement filters = browser.findElement(By.id("audit-filters"));
        filters.findElement(By.name("target")).sendKeys("ban:" + banId);
        filters.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(PAGE).ignoreExceptions().until(() -> auditActions().contains("ban.create"));
        WebElement entry = browser.findElement(By.cssSelector("#audit-table tbody tr"));
        assertThat(entry.findElement(By.cssSelector(".audit-who")).getText()).isEqualTo(admin);
        assertThat(entry.findElement(By.cssSelector(".audit-target")).getText()).isEqualTo("ban:" + banId);
        assertThat(entry.getText()).contains("rejectExisting: true");

        // removing asks first; cancelling keeps the ban
        openView("bans");
        banRowAwaited(email).findElement(By.cssSelector("button.remove-ban")).click();
        WebElement dialog = browser.findElement(By.id("admin-confirm"));
        assertThat(dialog.getText()).contains(email);
        dialog.findElement(By.id("admin-confirm-cancel")).click();
        // a dialog's close event is a queued task: it leaves the page just after the click
        await().atMost(PAGE)
                .until(() -> browser.findElements(By.id("admin-confirm")).isEmpty());
        assertThat(banIds()).contains(banId);

        banRowAwaited(email).findElement(By.cssSelector("button.remove-ban")).click();
        browser.findElement(By.id("admin-confirm-ok")).click();
        await().atMost(PAGE).ignoreExceptions().until(() -> banRow(email) == null);
        assertThat(status()).contains("removed");
        assertThat(banIds()).doesNotContain(banId);
        bansToRemove.remove(banId);

        openView("audit");
        browser.findElement(By.cssSelector("#audit-filters [name=target]")).sendKeys("ban:" + banId);
        browser.findElement(By.cssSelector("#audit-filters button[type=submit]"))
                .click();
        await().atMost(PAGE).ignoreExceptions().until(() -> auditActions().equals(List.of("ban.delete", "ban.create")));
        assertNoCspViolationsOrErrors();
    }

    @Test
    void settingsShowTheApisMessageNextToAnInvalidFieldAndKeepAValidChangeAcrossAReload() throws Exception {
        // what the API itself says of this value, so the test does not depend on the validator's wording
        HttpResponse<String> refused = send("PUT", "/api/moderation/settings", Map.of("maxLinks", -1), adminToken());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        String apiMessage = fieldMessage(json.readTree(refused.body()), "maxLinks");
        String siteBefore =
                send("GET", "/api/moderation/settings", null, adminToken()).body();

        String admin = "ada-" + shortId();
        signIn(admin, "ADMIN");
        openView("settings");
        WebElement site = browser.findElement(By.id("settings-form"));
        await().atMost(PAGE)
                .until(() -> !site.findElement(By.cssSelector(".settings-info"))
                        .getText()
                        .startsWith("Loading"));
        WebElement maxLinks = site.findElement(By.name("maxLinks"));
        maxLinks.clear();
        maxLinks.sendKeys("-1");
        site.findElement(By.cssSelector(".settings-fields > .actions button[type=submit]"))
                .click();

        WebElement error = site.findElement(By.cssSelector(".field-error[data-field=maxLinks]"));
        await().atMost(PAGE).until(error::isDisplayed);
        assertThat(error.getText()).isEqualTo(apiMessage);
        assertThat(maxLinks.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.switchTo().activeElement().getAttribute("name")).isEqualTo("maxLinks");
        assertThat(site.findElements(By.cssSelector(".field-error:not([hidden])")))
                .hasSize(1);
        assertThat(status()).contains("not saved");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", maxLinks);
        screenshot("admin-settings-error.png");
        assertThat(send("GET", "/api/moderation/settings", null, adminToken()).body())
                .isEqualTo(siteBefore);

        // a valid change, on an article of this test only (the site's settings would change every other test's rules)
        String article = "admin-settings-" + UUID.randomUUID();
        loadArticleSettings(article);
        WebElement articleForm = browser.findElement(By.id("article-settings-form"));
        new Select(articleForm.findElement(By.name("mode"))).selectByValue("PRE");
        articleForm.findElement(By.name("maxLinks")).sendKeys("5");
        articleForm.findElement(By.name("suspectWords")).sendKeys("Lottery\nfree money");
        // readers' reports: one member of the group, the others follow the site
        articleForm.findElement(By.name("reports.threshold")).sendKeys("2");
        new Select(articleForm.findElement(By.name("reports.hideWhileReported"))).selectByValue("true");
        articleForm
                .findElement(By.cssSelector(".settings-fields > .actions button[type=submit]"))
                .click();
        await().atMost(PAGE).until(() -> status().equals("Settings of article " + article + " saved."));

        JsonNode stored =
                json.readTree(send("GET", "/api/moderation/articles/" + article + "/settings", null, adminToken())
                        .body());
        assertThat(stored.get("mode").asString()).isEqualTo("PRE");
        assertThat(stored.get("maxLinks").asInt()).isEqualTo(5);
        assertThat(stored.get("reports").get("threshold").asInt()).isEqualTo(2);
        assertThat(stored.get("reports").get("hideWhileReported").asBoolean()).isTrue();
        assertThat(stored.get("reports").path("noticeThreshold").isNumber()).isFalse();
        assertThat(stored.get("updatedBy").asString()).isEqualTo(admin);

        // signing in reloads the page (the token lives in memory only): what is shown now comes from the store
        signIn(admin, "ADMIN");
        openView("settings");
        loadArticleSettings(article);
        WebElement reloaded = browser.findElement(By.id("article-settings-form"));
        assertThat(new Select(reloaded.findElement(By.name("mode")))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("PRE");
        assertThat(reloaded.findElement(By.name("maxLinks")).getAttribute("value"))
                .isEqualTo("5");
        assertThat(reloaded.findElement(By.name("reports.threshold")).getAttribute("value"))
                .isEqualTo("2");
        assertThat(reloaded.findElement(By.name("reports.hideWhileReported")).getAttribute("value"))
                .isEqualTo("true");
        // the API's normalised form: lower case
        assertThat(reloaded.findElement(By.name("suspectWords")).getAttribute("value"))
                .isEqualTo("lottery\nfree money");
        assertThat(reloaded.findElement(By.name("closed")).getAttribute("value"))
                .isEmpty();
        assertThat(reloaded.findElement(By.cssSelector(".settings-info")).getText())
                .contains(admin);
        assertNoCspViolationsOrErrors();
    }

    @Test
    void theStatisticsShowTheQueueTheOldestHeldCommentsAgeAndTheLastThirtyDaysAsAChartAndATable() throws Exception {
        postHeldComment("stats-" + UUID.randomUUID() + "@example.org");
        signIn("ada-" + shortId(), "ADMIN");
        openView("stats");

        // other tests' comments may still be moderated: compare with the API until both agree
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            JsonNode stats = stats();
            browser.findElement(By.id("stats-refresh")).click();
            await().atMost(PAGE)
                    .until(() -> browser.findElement(By.id("stats-refresh")).isEnabled());
            return browser.findElement(By.cssSelector("#stats-summary .stats-queue-size"))
                            .getText()
                            .equals(stats.get("queueSize").asString())
                    && tableMatches(stats.get("perDay"));
        });
        assertThat(Integer.parseInt(
                        browser.findElement(By.cssSelector(".stats-queue-size")).getText()))
                .isPositive();
        assertThat(browser.findElement(By.cssSelector(".stats-oldest-age")).getText())
                .matches("waiting \\d+ (second|minute|hour|day)s?.*");

        JsonNode perDay = stats().get("perDay");
        assertThat(perDay).hasSize(30);
        WebElement chart = browser.findElement(By.cssSelector("#stats-chart svg"));
        assertThat(chart.getAttribute("role")).isEqualTo("img");
        assertThat(chart.findElements(By.cssSelector("g.day"))).hasSize(30);
        // today has decisions (the comment above was held): its bar is drawn
        String today = perDay.get(29).get("date").asString();
        assertThat(chart.findElements(By.cssSelector("g.day[data-date='" + today + "'] rect")))
                .isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#stats-table tbody tr")))
                .hasSize(30);
        assertThat(browser.findElement(By.cssSelector("#stats-table tbody tr:last-child .held .count"))
                        .getText())
                .isNotEqualTo("0");
        // the reasons table names the same rules as the API
        List<String> rules = browser.findElements(By.cssSelector("#stats-reasons tbody th")).stream()
                .map(WebElement::getText)
                .toList();
        List<String> apiRules = new ArrayList<>();
        stats().get("decisionsPerReason").propertyNames().forEach(apiRules::add);
        assertThat(rules).isNotEmpty().containsAnyElementsOf(apiRules);
        screenshot("admin-stats.png");
        assertNoCspViolationsOrErrors();
    }

    @Test
    void anAdministratorFindsAPoisonRecordAmongTheDeadLettersAndReDrivesItThenAllOfItsTopic() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        String poison = "{\"eventId\": not JSON at all, " + key;
        try (var producer = new KafkaProducer<String, String>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.getBrokersAsString()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.COMMENTS_SUBMITTED, key, poison))
                    .get();
        }
        // moderation-service cannot read it: dead-lettered at once
        await().atMost(WAIT).until(() -> deadLetters(key).size() == 1);
        String first = deadLetters(key).get(0).get("id").asString();

        signIn("ada-" + shortId(), "ADMIN");
        openView("dead-letters");
        new Select(browser.findElement(By.cssSelector("#dead-letter-filters [name=topic]")))
                .selectByValue(Topics.COMMENTS_SUBMITTED_DLT);
        browser.findElement(By.cssSelector("#dead-letter-filters button[type=submit]"))
                .click();
        WebElement row = deadLetterRow(first);
        assertThat(row.findElement(By.cssSelector(".dead-letter-key")).getText())
                .isEqualTo(key);
        assertThat(row.findElement(By.cssSelector(".failure")).getText()).isNotBlank();
        assertThat(row.findElement(By.cssSelector(".redrive-state")).getText()).isEqualTo("Not re-driven");
        row.findElement(By.cssSelector("details summary")).click();
        assertThat(row.findElement(By.cssSelector("details pre")).getText()).isEqualTo(poison);

        row.findElement(By.cssSelector("button.redrive")).click();
        await().atMost(PAGE)
                .until(() -> row.findElement(By.cssSelector(".redrive-result"))
                        .getText()
                        .equals("Re-driven."));
        assertThat(row.findElement(By.cssSelector(".redrive-state")).getText()).startsWith("Re-driven by ");
        assertThat(status()).startsWith(first + ": Re-driven");
        // back on its topic, still unreadable: dead-lettered a second time
        await().atMost(WAIT).until(() -> deadLetters(key).size() == 2);
        assertThat(deadLetters(key).get(0).get("redriven").asBoolean()).isTrue();
        String second = deadLetters(key).get(1).get("id").asString();

        browser.findElement(By.id("redrive-all")).click();
        assertThat(browser.findElement(By.id("admin-confirm")).getText()).contains(Topics.COMMENTS_SUBMITTED_DLT);
        browser.findElement(By.id("admin-confirm-ok")).click();
        WebElement report =
                await().atMost(PAGE).until(() -> browser.findElement(By.id("redrive-report")), WebElement::isDisplayed);
        assertThat(report.getText()).matches("\\d+ dead letters? re-driven.*");
        assertThat(status()).isEqualTo(report.getText());
        await().atMost(WAIT)
                .until(() -> deadLetters(key).stream()
                        .filter(d -> d.get("id").asString().equals(second))
                        .allMatch(d -> d.get("redriven").asBoolean()));
        assertNoCspViolationsOrErrors();
    }

    @Test
    void theAdministrationPagesFitA360PixelWideScreen() throws IOException {
        // a phone's viewport (a desktop window cannot be made this narrow)
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 360, "height", 780, "deviceScaleFactor", 1, "mobile", true));
        try {
            signIn("ada-" + shortId(), "ADMIN");
            for (String view : List.of("bans", "settings", "audit", "dead-letters", "stats")) {
                openView(view);
                Object widths = browser.executeScript(
                        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
                assertThat((List<?>) widths)
                        .as("scroll width, client width on #/%s", view)
                        .element(0)
                        .isEqualTo(((List<?>) widths).get(1));
                assertThat(((Number) ((List<?>) widths).get(1)).intValue()).isEqualTo(360);
                screenshot("admin-" + view + "-360.png");
            }
            WebElement chart = browser.findElement(By.cssSelector("#stats-chart svg"));
            assertThat(chart.getSize().getWidth()).isBetween(200, 360);
            assertThat(browser.findElement(By.cssSelector("#stats-table"))
                            .getSize()
                            .getWidth())
                    .isLessThanOrEqualTo(360);
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    void aModeratorSeesNoAdministrationLinksAndIsToldBansAreNotAllowed() {
        signIn("max-" + shortId(), "MODERATOR");
        WebElement views = browser.findElement(By.id("views"));
        assertThat(views.findElements(By.cssSelector("a[data-view=queue]"))).hasSize(1);
        for (String view : List.of("bans", "settings", "audit", "dead-letters", "stats")) {
            assertThat(views.findElements(By.cssSelector("a[data-view='" + view + "']")))
                    .as(view)
                    .isEmpty();
        }
        ((JavascriptExecutor) browser).executeScript("location.hash = '#/bans'");
        WebElement notAllowed = await().atMost(PAGE)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("not-allowed")), WebElement::isDisplayed);
        assertThat(notAllowed.getText()).containsIgnoringCase("not allowed");
        assertThat(browser.findElements(By.id("ban-form"))).isEmpty();
        assertThat(browser.findElement(By.id("view")).getText()).isNotBlank();
    }

    @Test
    void aBanReasonWithMarkupIsShownAsInertText() throws Exception {
        String email = "xss-" + UUID.randomUUID() + "@example.org";
        String payload = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script><b>bold</b>";
        signIn("ada-" + shortId(), "ADMIN");
        openView("bans");
        WebElement form = browser.findElement(By.id("ban-form"));
        form.findElement(By.name("value")).sendKeys(email);
        form.findElement(By.name("reason")).sendKeys(payload);
        form.findElement(By.cssSelector("button[type=submit]")).click();

        WebElement row = await().atMost(PAGE).ignoreExceptions().until(() -> banRow(email), found -> found != null);
        bansToRemove.add(row.getAttribute("data-ban-id"));
        WebElement reason = row.findElement(By.cssSelector(".ban-reason"));
        assertThat(reason.getText()).isEqualTo(payload);
        assertThat(reason.findElements(By.cssSelector("*"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#view img, #view script:not([src]), #view b")))
                .isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__xss === undefined"))
                .isEqualTo(true);
        assertThat(status()).contains("added");
        assertNoCspViolationsOrErrors();
    }

    // ---------- the console ----------

    private void signIn(String name, String role) {
        // a fresh page: the previous session (in memory only) is gone
        browser.get("about:blank");
        browser.get(system.moderationService.resolve("/moderate/").toString());
        WebElement form = await().atMost(PAGE)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("local-sign-in")), WebElement::isDisplayed);
        WebElement nameInput = form.findElement(By.id("sign-in-name"));
        nameInput.clear();
        nameInput.sendKeys(name);
        new Select(form.findElement(By.id("sign-in-role"))).selectByValue(role);
        form.findElement(By.id("sign-in-submit")).click();
        await().atMost(PAGE)
                .ignoreExceptions()
                .until(() ->
                        browser.findElement(By.id("signed-in-as")).getText().contains(name));
    }

    /** Follows the navigation link, as a user would, and waits for the page to have loaded. */
    private void openView(String view) {
        browser.findElement(By.cssSelector("#views a[data-view='" + view + "']"))
                .click();
        await().atMost(PAGE)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("view-" + view)).isDisplayed()
                        && browser.findElements(By.cssSelector("#view-" + view + " .loading"))
                                .isEmpty());
    }

    private void loadArticleSettings(String article) {
        WebElement form = browser.findElement(By.id("article-settings-form"));
        WebElement id = form.findElement(By.name("articleId"));
        id.clear();
        id.sendKeys(article);
        form.findElement(By.id("article-settings-load")).click();
        await().atMost(PAGE)
                .until(() ->
                        form.findElement(By.cssSelector(".settings-fields")).isEnabled()
                                && !form.findElement(By.cssSelector(".settings-info"))
                                        .getText()
                                        .startsWith("Loading"));
    }

    private String status() {
        return browser.findElement(By.id("status")).getText();
    }

    private WebElement banRow(String value) {
        return browser.findElements(By.cssSelector("#bans-table tr[data-ban-id]")).stream()
                .filter(row ->
                        row.findElement(By.cssSelector(".ban-value")).getText().equals(value))
                .findFirst()
                .orElse(null);
    }

    private WebElement banRowAwaited(String value) {
        return await().atMost(PAGE).ignoreExceptions().until(() -> banRow(value), found -> found != null);
    }

    private List<String> auditActions() {
        return browser.findElements(By.cssSelector("#audit-table tbody tr .audit-action")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** The row of this dead letter, showing more until it is listed. */
    private WebElement deadLetterRow(String id) {
        return await().atMost(PAGE)
                .ignoreExceptions()
                .until(
                        () -> {
                            List<WebElement> rows = browser.findElements(
                                    By.cssSelector("#dead-letters-table tr[data-dead-letter-id='" + id + "']"));
                            if (rows.isEmpty()) {
                                browser.findElement(By.id("dead-letters-more")).click();
                                return null;
                            }
                            return rows.get(0);
                        },
                        found -> found != null);
    }

    private boolean tableMatches(JsonNode perDay) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#stats-table tbody tr"));
        if (rows.size() != perDay.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            WebElement row = rows.get(i);
            JsonNode day = perDay.get(i);
            if (!row.getAttribute("data-date").equals(day.get("date").asString())) {
                return false;
            }
            for (String outcome : List.of("held", "approved", "rejected")) {
                if (!row.findElement(By.cssSelector("." + outcome + " .count"))
                        .getText()
                        .equals(day.get(outcome).asString())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** For a person to look at: target/screenshots. */
    private static void screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("system-tests.logs", "target/service-logs"))
                .resolveSibling("screenshots");
        Files.createDirectories(dir);
        Files.copy(
                browser.getScreenshotAs(OutputType.FILE).toPath(),
                dir.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private void assertNoCspViolationsOrErrors() {
        List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Uncaught"))
                .toList();
        assertThat(problems).isEmpty();
    }

    // ---------- the system ----------

    /** A comment with more links than allowed: held for a moderator. */
    private String postHeldComment(String email) throws Exception {
        String article = "admin-" + UUID.randomUUID();
        StringBuilder text = new StringBuilder("Sources:");
        for (int i = 0; i <= RunningSystem.MAX_LINKS; i++) {
            text.append(" https://source").append(i).append(".example.org");
        }
        text.append(' ').append(UUID.randomUUID());
        HttpResponse<String> posted = http.send(
                HttpRequest.newBuilder(system.commentService.resolve("/api/articles/" + article + "/comments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                                Map.of("name", "Link Lover", "email", email, "text", text.toString()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String id = json.readTree(posted.body()).get("id").asString();
        await().atMost(WAIT)
                .until(
                        () -> moderation(id),
                        c -> c != null
                                && c.get("decision").get("outcome").asString().equals("HELD"));
        return id;
    }

    private JsonNode moderation(String id) throws Exception {
        HttpResponse<String> response = send("GET", "/api/moderation/comments/" + id, null, adminToken());
        return response.statusCode() == 200 ? json.readTree(response.body()) : null;
    }

    private JsonNode stats() throws Exception {
        HttpResponse<String> response = send("GET", "/api/moderation/stats", null, adminToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private List<String> banIds() throws Exception {
        List<String> ids = new ArrayList<>();
        json.readTree(send("GET", "/api/moderation/bans", null, adminToken()).body())
                .get("items")
                .forEach(ban -> ids.add(ban.get("id").asString()));
        return ids;
    }

    /** The dead letters of comments.submitted.v1 with this key, oldest first (every page). */
    private List<JsonNode> deadLetters(String key) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        String after = null;
        do {
            HttpResponse<String> response = send(
                    "GET",
                    "/api/moderation/dead-letters?limit=100&topic=" + Topics.COMMENTS_SUBMITTED_DLT
                            + (after == null ? "" : "&after=" + after),
                    null,
                    adminToken());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = json.readTree(response.body());
            page.get("items").forEach(item -> {
                if (key.equals(item.path("key").asString(null))) {
                    found.add(item);
                }
            });
            after = page.path("next").isString() ? page.path("next").asString() : null;
        } while (after != null);
        return found;
    }

    private static String fieldMessage(JsonNode problem, String field) {
        for (JsonNode error : problem.get("errors")) {
            if (error.get("field").asString().equals(field)) {
                return error.get("message").asString();
            }
        }
        throw new AssertionError("No error for " + field + " in " + problem);
    }

    private HttpResponse<String> send(String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(system.moderationService.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String adminToken() throws Exception {
        return ModeratorDecisionSystemTests.token("system-tests-admin", "ADMIN");
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
