package dev.talkback.notification.published;

import java.nio.charset.StandardCharsets;

import dev.talkback.events.CommentModerated;
import dev.talkback.notification.NotificationProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriUtils;

/**
 * Renders "your comment is published": subject, plain text and HTML. Everything that comes from the event (author
 * name, comment text, ids) is untrusted: control characters are removed, the text is shortened to an excerpt,
 * HTML is escaped, and the ids are URL-encoded into the link.
 */
@Component
class CommentPublishedMail {

    private static final int MAX_NAME_LENGTH = 100;

    private final String commentUrl;
    private final String siteName;
    private final int excerptLength;

    CommentPublishedMail(NotificationProperties properties) {
        this.commentUrl = properties.commentUrl();
        this.siteName = singleLine(properties.siteName(), MAX_NAME_LENGTH);
        this.excerptLength = properties.excerptLength();
    }

    record Content(String subject, String text, String html, String link) {
    }

    Content render(CommentModerated event) {
        String name = singleLine(event.comment().authorName() == null ? "" : event.comment().authorName(),
                MAX_NAME_LENGTH);
        String excerpt = excerpt(event.comment().text() == null ? "" : event.comment().text(), excerptLength);
        String link = link(event.articleId(), event.commentId());
        String subject = "Your comment on " + siteName + " is published";
        String greeting = name.isEmpty() ? "Hello," : "Hello " + name + ",";

        String text = greeting + "\n\n"
                + "your comment on " + siteName + " is published:\n\n"
                + "    \"" + excerpt + "\"\n\n"
                + "Read it here: " + link + "\n\n"
                + "You receive this mail because you posted this comment on " + siteName + ".\n"
                + "-- \n" + siteName + "\n";

        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>" + escape(subject)
                + "</title></head>\n<body>\n"
                + "<p>" + escape(greeting) + "</p>\n"
                + "<p>your comment on " + escape(siteName) + " is published:</p>\n"
                + "<blockquote>" + escape(excerpt) + "</blockquote>\n"
                + "<p><a href=\"" + escape(link) + "\">Read it here</a></p>\n"
                + "<p><small>You receive this mail because you posted this comment on " + escape(siteName)
                + ".</small></p>\n"
                + "</body></html>\n";
        return new Content(subject, text, html, link);
    }

    /** The configured URL with both ids percent-encoded, so an id cannot leave its place in the URL. */
    String link(String articleId, String commentId) {
        return commentUrl
                .replace("{articleId}", UriUtils.encode(articleId, StandardCharsets.UTF_8))
                .replace("{commentId}", UriUtils.encode(commentId, StandardCharsets.UTF_8));
    }

    /**
     * At most {@code maxLength} characters of the text on one line: whitespace (line breaks included) collapses
     * to single spaces, other control and format characters go, and a cut ends with an ellipsis, at a word
     * boundary where one is near.
     */
    static String excerpt(String text, int maxLength) {
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
    static String singleLine(String text, int maxLength) {
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

    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }
}
