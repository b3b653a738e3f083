package dev.talkback.notification.subscription;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The small server-rendered pages a reader reaches from a link in a mail (confirm, unsubscribe, privacy). Every one is
 * sent {@code no-store} (it may show what a link allows, and must not outlive the visit in a shared cache),
 * {@code no-referrer} (its URL carries the link's token), and with a Content Security Policy that allows nothing but
 * forms posting back to this service and no framing: the pages have no script, style or image, and a page whose
 * button acts must not be framed by another site (clickjacking).
 */
public final class Pages {

    /** What the pages may load and do: nothing but submit their forms to this service; never framed. */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Pages() {}

    /** A page with a title and one escaped message. */
    public static ResponseEntity<String> page(HttpStatus status, String title, String message) {
        return page(status, title, message, "", "");
    }

    /** A page with a title, one escaped message, then HTML of the caller's (forms, links), which must be escaped. */
    public static ResponseEntity<String> page(HttpStatus status, String title, String message, String trustedHtml) {
        return page(status, title, message, trustedHtml, "");
    }

    /** The same with HTML of the caller's in the head (a refresh), which must be escaped. */
    public static ResponseEntity<String> page(
            HttpStatus status, String title, String message, String trustedHtml, String trustedHead) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex\">" + trustedHead + "<title>" + escape(title)
                + "</title></head>\n<body>\n<h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p>\n"
                + trustedHtml + "\n</body></html>\n";
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .body(html);
    }

    /** HTML-escaped, quotes too (safe in attribute values). */
    public static String escape(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }
}
