package dev.talkback.comments.published;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.springframework.stereotype.Component;

/**
 * Renders a comment's plain text as safe HTML. The text is never interpreted as markup: every character is escaped,
 * blank lines separate paragraphs ({@code <p>}), single line breaks become {@code <br>}, and http(s) URLs become
 * links with {@code rel="nofollow ugc noopener"}. The result then passes through the OWASP Java HTML Sanitizer with a
 * policy allowing only {@code p}, {@code br} and {@code a} with an http(s) {@code href} and {@code rel}, as a second
 * line of defence. The reader widget copies only these elements and attributes from it into the page.
 */
@Component
public class CommentRenderer {

    static final String LINK_REL = "nofollow ugc noopener";

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[ \\t\\x0B\\f]*\\n\\s*");
    private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"'`\\u0000-\\u001f\\u007f]+");
    /** Punctuation that usually ends a sentence rather than a URL. */
    private static final String TRAILING_PUNCTUATION = ".,;:!?)]}*";

    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowElements("p", "br", "a")
            .allowUrlProtocols("http", "https")
            .allowAttributes("href")
            .onElements("a")
            .allowAttributes("rel")
            .onElements("a")
            .requireRelsOnLinks("nofollow", "ugc", "noopener")
            .toFactory();

    public String render(String text) {
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n').strip();
        if (normalised.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder(normalised.length() + 32);
        for (String paragraph : PARAGRAPH_BREAK.split(normalised)) {
            html.append("<p>");
            String[] lines = paragraph.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    html.append("<br>");
                }
                appendLine(html, lines[i]);
            }
            html.append("</p>");
        }
        return POLICY.sanitize(html.toString());
    }

    private static void appendLine(StringBuilder html, String line) {
        Matcher matcher = URL.matcher(line);
        int last = 0;
        while (matcher.find()) {
            String url = trimTrailingPunctuation(matcher.group());
            int end = matcher.start() + url.length();
            if (!isLinkable(url)) {
                continue;
            }
            escape(html, line.substring(last, matcher.start()));
            html.append("<a href=\"");
            escape(html, url);
            html.append("\" rel=\"").append(LINK_REL).append("\">");
            escape(html, url);
            html.append("</a>");
            last = end;
        }
        escape(html, line.substring(last));
    }

    private static String trimTrailingPunctuation(String url) {
        int end = url.length();
        while (end > 0 && TRAILING_PUNCTUATION.indexOf(url.charAt(end - 1)) >= 0) {
            char c = url.charAt(end - 1);
            // keep a closing parenthesis that closes one opened inside the URL, as in Wikipedia links
            if (c == ')' && count(url, '(', end) > count(url, ')', end - 1)) {
                break;
            }
            end--;
        }
        return url.substring(0, end);
    }

    private static int count(String s, char c, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static boolean isLinkable(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return scheme != null
                    && (scheme.toLowerCase(Locale.ROOT).equals("http")
                            || scheme.toLowerCase(Locale.ROOT).equals("https"))
                    && uri.getHost() != null;
        } catch (URISyntaxException ex) {
            return false;
        }
    }

    private static void escape(StringBuilder html, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> html.append("&amp;");
                case '<' -> html.append("&lt;");
                case '>' -> html.append("&gt;");
                case '"' -> html.append("&#34;");
                case '\'' -> html.append("&#39;");
                default -> html.append(c);
            }
        }
    }
}
