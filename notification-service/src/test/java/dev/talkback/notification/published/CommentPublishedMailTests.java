package dev.talkback.notification.published;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.AuthorContact;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.CommentModerated.PublicComment;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.TestProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommentPublishedMailTests {

    private final CommentPublishedMail mail = new CommentPublishedMail(properties("Daily <Example>", 40));

    @Test
    void rendersSubjectGreetingExcerptAndLink() {
        var content = mail.render(event("c1", "us-sees-japan", "Ada Reader", "A thaw would be welcome."));

        assertThat(content.subject()).isEqualTo("Your comment on Daily <Example> is published");
        assertThat(content.link()).isEqualTo("https://news.example/articles/us-sees-japan#comment-c1");
        assertThat(content.text())
                .contains(
                        "Hello Ada Reader,",
                        "\"A thaw would be welcome.\"",
                        "Read it here: https://news.example/articles/us-sees-japan#comment-c1");
        assertThat(content.html())
                .contains(
                        "<p>Hello Ada Reader,</p>",
                        "<blockquote>A thaw would be welcome.</blockquote>",
                        "<a href=\"https://news.example/articles/us-sees-japan#comment-c1\">",
                        "Daily &lt;Example&gt;")
                .doesNotContain("Daily <Example>");
    }

    @Test
    void escapesHtmlInNameTextAndSiteName() {
        var content = mail.render(event("c1", "a", "<script>alert('x')</script>", "<img src=x onerror=alert(1)>&"));

        assertThat(content.html())
                .contains("Hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;,")
                .contains("&lt;img src=x onerror=alert(1)&gt;&amp;")
                .doesNotContain("<script>", "<img");
    }

    @Test
    void controlCharactersCannotBreakLinesOrTheSubject() {
        var content =
                mail.render(event("c1", "a", "Eve\r\nBcc: x@evil.example", "line one\r\n\r\nline two\u0000\u202e"));

        assertThat(content.subject()).doesNotContain("\r", "\n");
        assertThat(content.text())
                .contains("Hello Eve Bcc: x@evil.example,", "\"line one line two\"")
                .doesNotContain("\r", "\u0000", "\u202e");
        assertThat(content.text().lines()).noneMatch(line -> line.startsWith("Bcc:"));
    }

    @Test
    void idsAreEncodedSoTheyStayInTheirPlaceInTheLink() {
        assertThat(mail.link("a\"><script> /?#", "c&1"))
                .isEqualTo("https://news.example/articles/a%22%3E%3Cscript%3E%20%2F%3F%23#comment-c%261");
    }

    @Test
    void longTextIsCutAtAWordWithAnEllipsis() {
        String excerpt = CommentPublishedMail.excerpt(
                "The quick brown fox jumps over the lazy dog and keeps running far away", 40);

        assertThat(excerpt).isEqualTo("The quick brown fox jumps over the lazy…");
        assertThat(excerpt.length()).isLessThanOrEqualTo(40);
        assertThat(CommentPublishedMail.excerpt("short", 40)).isEqualTo("short");
        assertThat(CommentPublishedMail.excerpt("x".repeat(100), 40))
                .hasSize(40)
                .endsWith("…");
    }

    @Test
    void missingNameGreetsWithoutIt() {
        assertThat(mail.render(event("c1", "a", " \r\n ", "text")).text()).startsWith("Hello,\n");
    }

    @Test
    void aRejectionCarriesItsStatementOfReasonsEscaped() {
        var approved = event("c1", "a", "Ada", "Some text.");
        var rejected = new CommentModerated(
                UUID.randomUUID(),
                Instant.now(),
                "c1",
                "a",
                2,
                Outcome.REJECTED,
                true,
                List.of(),
                "A moderator decided not to publish this comment.",
                approved.comment(),
                approved.contact(),
                new CommentModerated.Statement(
                        CommentModerated.Statement.Facts.NOTICE,
                        false,
                        false,
                        CommentModerated.Statement.Ground.LAW,
                        "Act <b>4</b>\r\nBcc: x@evil.example",
                        "A moderator decided not to publish this comment.",
                        "Write to complaints@news.example."));

        var content = mail.renderRejected(rejected);

        assertThat(content.text())
                .contains("Following: a notice that the comment is illegal\n")
                .contains("Automation: Detected and decided by people.\n")
                .contains("Legal ground: Act <b>4</b> Bcc: x@evil.example\n")
                .contains("Your options: Write to complaints@news.example.\n");
        assertThat(content.html())
                .contains("<dt>Legal ground</dt><dd>Act &lt;b&gt;4&lt;/b&gt; Bcc: x@evil.example</dd>")
                .doesNotContain("<b>4");
        assertThat(mail.renderRejected(withoutStatement(rejected)).text()).doesNotContain("Following:");
    }

    private static CommentModerated withoutStatement(CommentModerated event) {
        return new CommentModerated(
                event.eventId(),
                event.occurredAt(),
                event.commentId(),
                event.articleId(),
                event.revision(),
                event.outcome(),
                event.human(),
                event.reasons(),
                event.publicReason(),
                event.comment(),
                event.contact());
    }

    private static CommentModerated event(String commentId, String articleId, String name, String text) {
        return new CommentModerated(
                UUID.randomUUID(),
                Instant.now(),
                commentId,
                articleId,
                1,
                Outcome.APPROVED,
                false,
                List.of(),
                null,
                new PublicComment(null, name, null, text, Instant.now()),
                new AuthorContact("ada@example.org", false));
    }

    static NotificationProperties properties(String siteName, int excerptLength) {
        return TestProperties.with(
                "notification.site.comment-url=https://news.example/articles/{articleId}#comment-{commentId}",
                "notification.site.name=" + siteName,
                "notification.mail.excerpt-length=" + excerptLength);
    }
}
