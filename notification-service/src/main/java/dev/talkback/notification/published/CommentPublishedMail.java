package dev.talkback.notification.published;

import dev.talkback.events.CommentModerated;
import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.mail.MailText;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Renders the mails to a comment's author: "your comment is published" and "your comment was rejected". Everything
 * that comes from the event (author name, comment text, ids, the public reason) is untrusted: control characters
 * are removed, the text is shortened to an excerpt, HTML is escaped, and the ids are URL-encoded into the link.
 * The article is named by its id: the events carry no title. The footer (unsubscribe link) is added by the
 * {@code MailOutbox}.
 */
@Component
class CommentPublishedMail {

    private static final int MAX_NAME_LENGTH = 100;

    private final String commentUrl;
    private final String siteName;
    private final int excerptLength;

    CommentPublishedMail(NotificationProperties properties) {
        this.commentUrl = properties.site().commentUrl();
        this.siteName = singleLine(properties.site().name(), MAX_NAME_LENGTH);
        this.excerptLength = properties.mail().excerptLength();
    }

    record Content(String subject, String text, String html, String link) {}

    Content render(CommentModerated event) {
        String greeting = greeting(event);
        String excerpt = excerpt(event);
        String article = singleLine(event.articleId(), MAX_NAME_LENGTH);
        String link = link(event.articleId(), event.commentId());
        String subject = "Your comment on " + siteName + " is published";

        String text = greeting + "\n\n"
                + "your comment on " + siteName + " (article " + article + ") is published:\n\n"
                + "    \"" + excerpt + "\"\n\n"
                + "Read it here: " + link + "\n\n"
                + "You receive this mail because you posted this comment on " + siteName + ".\n";

        String html = "<p>" + escape(greeting) + "</p>\n"
                + "<p>your comment on " + escape(siteName) + " (article " + escape(article) + ") is published:</p>\n"
                + "<blockquote>" + escape(excerpt) + "</blockquote>\n"
                + "<p><a href=\"" + escape(link) + "\">Read it here</a></p>\n"
                + "<p><small>You receive this mail because you posted this comment on " + escape(siteName)
                + ".</small></p>\n";
        return new Content(subject, text, html, link);
    }

    Content renderRejected(CommentModerated event) {
        String greeting = greeting(event);
        String excerpt = excerpt(event);
        String article = singleLine(event.articleId(), MAX_NAME_LENGTH);
        String reason = event.publicReason() == null || event.publicReason().isBlank()
                ? "It does not follow the rules of this site."
                : singleLine(event.publicReason(), 500);
        String subject = "Your comment on " + siteName + " was not published";
        List<String[]> statement = statement(event.statement());

        StringBuilder text = new StringBuilder(greeting + "\n\n"
                + "your comment on " + siteName + " (article " + article + ") was not published:\n\n"
                + "    \"" + excerpt + "\"\n\n"
                + "Why: " + reason + "\n\n");
        StringBuilder html = new StringBuilder("<p>" + escape(greeting) + "</p>\n"
                + "<p>your comment on " + escape(siteName) + " (article " + escape(article)
                + ") was not published:</p>\n"
                + "<blockquote>" + escape(excerpt) + "</blockquote>\n"
                + "<p>Why: " + escape(reason) + "</p>\n");
        if (!statement.isEmpty()) {
            html.append("<dl>\n");
            for (String[] line : statement) {
                text.append(line[0]).append(": ").append(line[1]).append("\n");
                html.append("<dt>")
                        .append(escape(line[0]))
                        .append("</dt><dd>")
                        .append(escape(line[1]))
                        .append("</dd>\n");
            }
            text.append("\n");
            html.append("</dl>\n");
        }
        text.append("You receive this mail because you posted this comment on " + siteName + ".\n");
        html.append("<p><small>You receive this mail because you posted this comment on " + escape(siteName)
                + ".</small></p>\n");
        return new Content(subject, text.toString(), html.toString(), "");
    }

    /**
     * The statement of reasons (Art. 17 DSA) as label and text lines: what the decision followed, whether it was
     * automated, the rule or law, and how to contest it; empty for an event without one.
     */
    private static List<String[]> statement(CommentModerated.@Nullable Statement statement) {
        if (statement == null) {
            return List.of();
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {
            "Following",
            switch (statement.facts()) {
                case AUTOMATED_CHECK -> "the automatic check every comment goes through";
                case OWN_REVIEW -> "a review by the site's moderators";
                case REPORT -> "reports by other readers";
                case NOTICE -> "a notice that the comment is illegal";
            }
        });
        lines.add(new String[] {
            "Automation",
            statement.automatedDecision()
                    ? "Decided by automated means."
                    : statement.automatedDetection()
                            ? "Detected by automated means, decided by a person."
                            : "Detected and decided by people."
        });
        if (statement.reference() != null && !statement.reference().isBlank()) {
            lines.add(new String[] {
                statement.ground() == CommentModerated.Statement.Ground.LAW ? "Legal ground" : "Rule",
                singleLine(statement.reference(), 200)
            });
        }
        if (statement.redress() != null && !statement.redress().isBlank()) {
            lines.add(new String[] {"Your options", singleLine(statement.redress(), 1000)});
        }
        return lines;
    }

    private static String greeting(CommentModerated event) {
        String name = singleLine(
                event.comment().authorName() == null ? "" : event.comment().authorName(), MAX_NAME_LENGTH);
        return name.isEmpty() ? "Hello," : "Hello " + name + ",";
    }

    private String excerpt(CommentModerated event) {
        return excerpt(event.comment().text() == null ? "" : event.comment().text(), excerptLength);
    }

    /** The configured URL with both ids percent-encoded, so an id cannot leave its place in the URL. */
    String link(String articleId, String commentId) {
        return MailText.link(commentUrl, articleId, commentId);
    }

    static String excerpt(String text, int maxLength) {
        return MailText.excerpt(text, maxLength);
    }

    static String singleLine(String text, int maxLength) {
        return MailText.singleLine(text, maxLength);
    }

    private static String escape(String value) {
        return MailText.escape(value);
    }
}
