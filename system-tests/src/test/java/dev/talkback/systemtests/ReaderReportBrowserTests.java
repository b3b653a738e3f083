package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reports and statements of reasons in the widget, in a real browser (headless Chromium) against the running system:
 * the report form with its reasons, the notice of illegal content with the server's messages under its fields, the
 * notice reaching the moderators' reported queue with what the notifier wrote, and the author of a rejected comment
 * reading why and how to contest it. Skipped when no Chromium is installed.
 */
class ReaderReportBrowserTests {

    private static final Duration MODERATION = Duration.ofSeconds(60);

    private static RunningSystem system;
    private static ChromeDriver reader;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        Browsers.assumeInstalled();
        system = RunningSystem.get();
        reader = Browsers.start();
    }

    @AfterAll
    static void stop() {
        if (reader != null) {
            reader.quit();
        }
    }

    @Test
    void aReaderFilesANoticeOfIllegalContentThatReachesTheModerators() throws Exception {
        String article = "report-" + UUID.randomUUID();
        String text = "Thanks for the clear reporting on the council budget; the library figures were new to me. "
                + UUID.randomUUID();
        String id = published(article, text);

        reader.get(system.commentService.resolve("/articles/" + article).toString());
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() ->
                        "ready".equals(reader.findElement(By.id("comments")).getAttribute("data-state")));
        WebElement comment = reader.findElement(By.id("comment-" + id));
        WebElement report = comment.findElement(By.cssSelector(".tb-report"));
        assertThat(report.getAttribute("aria-expanded")).isEqualTo("false");
        report.click();

        WebElement form = comment.findElement(By.cssSelector(".tb-report-form"));
        assertThat(report.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(form.findElements(By.cssSelector(".tb-report-reasons label")))
                .extracting(WebElement::getText)
                .containsExactly(
                        "Spam or advertising",
                        "Abusive, insulting or hateful",
                        "Off-topic",
                        "Shares someone's personal information",
                        "Illegal content (a legal notice)",
                        "Something else");
        WebElement notice = form.findElement(By.cssSelector(".tb-report-notice"));
        assertThat(notice.isDisplayed()).isFalse();
        form.findElement(By.cssSelector("input[value=illegal-content]")).click();
        assertThat(notice.isDisplayed()).isTrue();

        // sent without the notice's elements: the service names each, under its field
        form.findElement(By.cssSelector(".tb-report-send")).click();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !errorOf(form, "explanation").isEmpty());
        assertThat(errorOf(form, "explanation")).startsWith("Why the content is illegal is required");
        assertThat(errorOf(form, "name")).startsWith("Your name is required");
        assertThat(errorOf(form, "email")).startsWith("Your email is required");
        assertThat(form.findElement(By.name("explanation")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(form.findElement(By.cssSelector("input[name=goodFaith] ~ .tb-error"))
                        .getText())
                .contains("good faith");

        form.findElement(By.name("explanation")).sendKeys("It tells readers where a private person lives.");
        form.findElement(By.name("name")).sendKeys("Grace Notifier");
        form.findElement(By.name("email")).sendKeys("grace@example.org");
        form.findElement(By.name("goodFaith")).click();
        form.findElement(By.cssSelector(".tb-report-send")).click();

        await().atMost(Duration.ofSeconds(20)).until(() -> "Reported".equals(report.getText()));
        assertThat(report.isEnabled()).isFalse();
        assertThat(comment.findElements(By.cssSelector(".tb-report-form"))).isEmpty();
        assertThat(reader.findElement(By.cssSelector(".tb-live")).getText())
                .isEqualTo("Thank you. Your notice was received; you will be told what is decided.");

        // one notice is enough for the reported queue; the comment stays published until a moderator decides
        JsonNode queued = await().atMost(MODERATION)
                .until(
                        () -> moderation("/api/moderation/comments?status=REPORTED&articleId=" + article),
                        page -> page.get("items").size() == 1);
        assertThat(queued.get("items").get(0).get("id").asString()).isEqualTo(id);
        assertThat(queued.get("items").get(0).get("reported").get("notice").asBoolean())
                .isTrue();
        JsonNode reports = moderation("/api/moderation/comments/" + id + "/reports");
        assertThat(reports.get(0).get("reason").asString()).isEqualTo("ILLEGAL_CONTENT");
        assertThat(reports.get(0).get("notice").get("explanation").asString())
                .isEqualTo("It tells readers where a private person lives.");
        assertThat(reports.get(0).get("notice").get("email").asString()).isEqualTo("grace@example.org");
        assertThat(http.send(
                                HttpRequest.newBuilder(
                                                system.commentService.resolve("/api/articles/" + article + "/comments"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .contains(id);
    }

    @Test
    void anAuthorWhoseCommentIsRejectedReadsWhyAndAsksForAHumanReview() throws Exception {
        String article = "rejected-" + UUID.randomUUID();
        reader.get(system.commentService.resolve("/articles/" + article).toString());
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() ->
                        "ready".equals(reader.findElement(By.id("comments")).getAttribute("data-state")));
        String text = "A question about the timetable of the new train line. " + UUID.randomUUID();
        reader.findElement(By.name("name")).sendKeys("Throwaway Reader");
        // a throwaway mailbox: the automatic moderation rejects the comment
        reader.findElement(By.name("email")).sendKeys("reader-" + UUID.randomUUID() + "@mailinator.com");
        reader.findElement(By.name("text")).sendKeys(text);
        reader.findElement(By.cssSelector(".tb-submit")).click();

        WebElement rejected = await().atMost(MODERATION)
                .ignoreExceptions()
                .until(() -> reader.findElement(By.cssSelector(".tb-rejected")), found -> found != null);
        assertThat(rejected.findElement(By.cssSelector(".tb-state")).getText())
                .startsWith("Your comment was not published.");
        WebElement statement = rejected.findElement(By.cssSelector(".tb-statement"));
        statement.findElement(By.tagName("summary")).click();
        List<String> terms = statement.findElements(By.tagName("dt")).stream()
                .map(WebElement::getText)
                .toList();
        List<String> details = statement.findElements(By.tagName("dd")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(terms).containsExactly("Decision", "Following", "Automation", "Rule", "Your options");
        assertThat(details.get(1)).isEqualTo("the automatic check every comment goes through");
        assertThat(details.get(2)).isEqualTo("Decided by automated means.");
        assertThat(details.get(3)).isEqualTo("the site's comment rules");
        assertThat(details.get(4)).contains("out-of-court dispute settlement");

        // the author asks for a human review, once: the comment is in the moderators' appealed queue
        statement.findElement(By.cssSelector(".tb-appeal-ask")).click();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> statement
                        .findElement(By.cssSelector(".tb-appeal"))
                        .getText()
                        .startsWith("Your request for a human review was received."));
        String id = rejected.getAttribute("id").substring("comment-".length());
        JsonNode appealed = await().atMost(MODERATION)
                .until(
                        () -> moderation("/api/moderation/comments?status=APPEALED&articleId=" + article),
                        page -> page.get("items").size() == 1);
        assertThat(appealed.get("items").get(0).get("id").asString()).isEqualTo(id);

        // a moderator reverses the decision on review: the author's widget shows the comment published
        HttpResponse<String> decided = http.send(
                HttpRequest.newBuilder(system.moderationService.resolve("/api/moderation/comments/" + id + "/decision"))
                        .header("Authorization", "Bearer " + ModeratorDecisionSystemTests.token("mia", "MODERATOR"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                                Map.of("action", "APPROVE", "reason", "A real question, not spam."))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .until(() -> reader.findElements(By.cssSelector("#comment-" + id + ".tb-rejected"))
                                .isEmpty()
                        && reader.findElements(By.cssSelector("#comment-" + id + ".tb-pending"))
                                .isEmpty()
                        && reader.findElement(By.id("comment-" + id)).getText().contains(text));
        assertThat(reader.findElements(By.cssSelector("#comment-" + id + " .tb-report")))
                .hasSize(1);
    }

    private static String errorOf(WebElement form, String field) {
        return form.findElement(By.cssSelector("[name=" + field + "] ~ .tb-error"))
                .getText();
    }

    /** Posts a comment through the API and waits until it is published. */
    private String published(String article, String text) throws IOException, InterruptedException {
        HttpResponse<String> posted = http.send(
                HttpRequest.newBuilder(system.commentService.resolve("/api/articles/" + article + "/comments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of(
                                "name",
                                "Ada Reader",
                                "email",
                                "ada-" + UUID.randomUUID() + "@example.org",
                                "text",
                                text))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as("POST answer: %s", posted.body()).isEqualTo(202);
        String id = json.readTree(posted.body()).get("id").asString();
        URI page = system.commentService.resolve("/api/articles/" + article + "/comments");
        await().atMost(MODERATION)
                .until(() -> http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains(id));
        return id;
    }

    private JsonNode moderation(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(system.moderationService.resolve(path))
                        .header("Authorization", "Bearer " + ModeratorDecisionSystemTests.token("mia", "MODERATOR"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return json.readTree(response.body());
    }
}
