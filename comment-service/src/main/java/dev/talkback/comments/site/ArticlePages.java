package dev.talkback.comments.site;

import dev.talkback.comments.ArticleIds;
import dev.talkback.comments.CommentsProperties;
import java.net.URI;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo site: {@code /} redirects to the sample article, {@code /articles/{articleId}} is that article (or, for any
 * other id, a short placeholder article, so that the links in notification mails land on a page with the comment)
 * with the widget under it, embedded exactly as a newsroom would. The pages are served with a strict
 * Content-Security-Policy that allows no inline script or style: the widget must work without any.
 */
@RestController
class ArticlePages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private final String demoArticleId;
    private final SeedArticle seed = SeedArticle.load();

    ArticlePages(CommentsProperties properties) {
        this.demoArticleId = properties.demoArticleId();
    }

    @GetMapping("/")
    ResponseEntity<Void> home() {
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create("/articles/" + demoArticleId))
                .build();
    }

    @GetMapping("/articles/{articleId}")
    ResponseEntity<String> article(@PathVariable String articleId) {
        ArticleIds.requireValid(articleId);
        String html = articleId.equals(demoArticleId) ? page(articleId, seed) : page(articleId, placeholder(articleId));
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "strict-origin-when-cross-origin")
                .body(html);
    }

    private static SeedArticle placeholder(String articleId) {
        return new SeedArticle(
                "Talkback demo",
                "Article " + articleId,
                java.util.List.of(new SeedArticle.Block(
                        false, "This page stands in for the article of the news site; its comments are below.")));
    }

    private static String page(String articleId, SeedArticle article) {
        StringBuilder body = new StringBuilder();
        for (SeedArticle.Block block : article.blocks()) {
            String tag = block.heading() ? "h2" : "p";
            body.append("      <")
                    .append(tag)
                    .append('>')
                    .append(escape(block.text()))
                    .append("</")
                    .append(tag)
                    .append(">\n");
        }
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%1$s – The Talkback Times</title>
                  <link rel="stylesheet" href="/site.css">
                </head>
                <body>
                  <header class="masthead">
                    <a class="brand" href="/">The Talkback Times</a>
                    <span class="tagline">A demo news site with Talkback comments</span>
                  </header>
                  <main>
                    <article>
                      <p class="dateline">%2$s</p>
                      <h1>%1$s</h1>
                %3$s    </article>
                    <section class="comments-area" aria-label="Comments">
                      <div id="comments" data-article-id="%4$s"></div>
                      <script src="/embed.js" async></script>
                    </section>
                  </main>
                </body>
                </html>
                """.formatted(escape(article.title()), escape(article.dateLine()), body, escape(articleId));
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
