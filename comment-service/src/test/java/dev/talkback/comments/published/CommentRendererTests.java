package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommentRendererTests {

    private final CommentRenderer renderer = new CommentRenderer();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "<a href=\"javascript:alert(1)\">click</a>",
                "\"><svg/onload=alert(1)>",
                "<iframe src=\"https://evil.example\"></iframe>",
                "<p onclick=\"alert(1)\">hi</p>",
                "</p><script>alert(1)</script><p>",
                "<style>body{display:none}</style>",
                "&lt;script&gt;alert(1)&lt;/script&gt;"
            })
    void markupInTheTextIsNeverMarkupInTheHtml(String payload) {
        String html = renderer.render("Look: " + payload);
        assertThat(html)
                .doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("<img")
                .doesNotContainIgnoringCase("<svg")
                .doesNotContainIgnoringCase("<iframe")
                .doesNotContainIgnoringCase("<style")
                .doesNotContainIgnoringCase("onerror=")
                .doesNotContainIgnoringCase("onclick=\"")
                .doesNotContainIgnoringCase("href=\"javascript");
        assertThat(html.replaceAll(
                        "</?p>|<br ?/?>|<a href=\"https?://[^\"<>]*\" rel=\"nofollow ugc noopener\">|</a>", ""))
                .doesNotContain("<");
        assertThat(html).startsWith("<p>").endsWith("</p>");
    }

    @Test
    void escapedEntitiesStayVisibleText() {
        assertThat(renderer.render("5 < 6 && \"quotes\"")).isEqualTo("<p>5 &lt; 6 &amp;&amp; &#34;quotes&#34;</p>");
    }

    @Test
    void lineBreaksAndParagraphs() {
        assertThat(renderer.render("first line\nsecond line\r\n\r\nnew paragraph"))
                .isEqualTo("<p>first line<br />second line</p><p>new paragraph</p>");
    }

    @Test
    void httpUrlsBecomeNofollowLinks() {
        String html = renderer.render("See https://example.org/a?b=1&c=2. Thanks");
        assertThat(html)
                .contains("<a href=\"https://example.org/a?b&#61;1&amp;c&#61;2\" rel=\"nofollow ugc noopener\">")
                .contains("</a>. Thanks");
    }

    @Test
    void parenthesesOfTheUrlAreKeptButTheSentencesAreNot() {
        assertThat(renderer.render("(see https://en.wikipedia.org/wiki/Thaw_(disambiguation))"))
                .contains("href=\"https://en.wikipedia.org/wiki/Thaw_%28disambiguation%29\"")
                .endsWith("</a>)</p>");
    }

    @Test
    void onlyHttpAndHttpsAreLinked() {
        assertThat(renderer.render("javascript:alert(1) ftp://example.org data:text/html,x"))
                .doesNotContain("<a");
    }

    @Test
    void urlWithQuotesCannotBreakOutOfTheAttribute() {
        String html = renderer.render("https://example.org/\"onmouseover=\"alert(1)");
        assertThat(html).doesNotContain("onmouseover=\"").contains("rel=\"nofollow ugc noopener\"");
    }

    @Test
    void emptyTextRendersNothing() {
        assertThat(renderer.render("  \n ")).isEmpty();
    }
}
