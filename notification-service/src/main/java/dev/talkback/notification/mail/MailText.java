package dev.talkback.notification.mail;

import java.nio.charset.StandardCharsets;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriUtils;

/**
 * Helpers for rendering untrusted text (names, comments, ids) into mails: one line, bounded, escaped.
 */
public final class MailText {

    private MailText() {}

    /**
     * At most {@code maxLength} characters of the text on one line: whitespace (line breaks included) collapses
     * to single spaces, other control and format characters go, and a cut ends with an ellipsis, at a word
     * boundary where one is near.
     */
    public static String excerpt(String text, int maxLength) {
        String line = singleLine(text, Integer.MAX_VALUE);
        if (line.codePointCount(0, line.length()) <= maxLength) {
            return line;
        }
        int end = line.offsetByCodePoints(0, maxLength - 1);
        String cut = line.substring(0, end);
        int space = cut.lastIndexOf(' ');
        if (line.charAt(end) != ' ' && space >= maxLength / 2) {
            cut = cut.substring(0, space);
        }
        return cut.strip() + "…";
    }

    /** One line without control or invisible format characters, whitespace collapsed, at most {@code maxLength}. */
    public static String singleLine(String text, int maxLength) {
        StringBuilder line = new StringBuilder(Math.min(text.length(), 1024));
        boolean pendingSpace = false;
        int count = 0;
        for (int i = 0; i < text.length() && count < maxLength; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                pendingSpace = line.length() > 0;
                continue;
            }
            if (Character.getType(c) == Character.FORMAT) {
                continue;
            }
            if (pendingSpace) {
                line.append(' ');
                count++;
                pendingSpace = false;
                if (count >= maxLength) {
                    break;
                }
            }
            line.appendCodePoint(c);
            count++;
        }
        return line.toString().strip();
    }

    /** HTML-escaped (also quotes, so it is safe in attribute values). */
    public static String escape(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }

    /** A configured URL template with {@code {articleId}} and {@code {commentId}} replaced by the encoded ids. */
    public static String link(String template, String articleId, String commentId) {
        return template.replace("{articleId}", UriUtils.encode(articleId, StandardCharsets.UTF_8))
                .replace("{commentId}", UriUtils.encode(commentId, StandardCharsets.UTF_8));
    }
}
