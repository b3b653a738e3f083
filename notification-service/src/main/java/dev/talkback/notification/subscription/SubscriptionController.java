package dev.talkback.notification.subscription;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.talkback.notification.NotificationProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * The links in the mails. {@code GET /notifications/confirm?token=…} confirms an address for reply notifications
 * (double opt-in). {@code GET /notifications/unsubscribe?token=…} shows a page with one button;
 * {@code POST /notifications/unsubscribe?token=…} unsubscribes — what mail clients send for RFC 8058 one-click
 * ({@code List-Unsubscribe=One-Click} in the body) and what the button sends. GET does not unsubscribe, so that
 * link scanners that open every URL of a mail cannot unsubscribe anyone. A bad token gets 400 and a short page.
 */
@RestController
@RequestMapping(path = "/notifications", produces = MediaType.TEXT_HTML_VALUE)
class SubscriptionController {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionController.class);

    private final LinkTokens tokens;
    private final Recipients recipients;
    private final String siteName;

    SubscriptionController(LinkTokens tokens, Recipients recipients, NotificationProperties properties) {
        this.tokens = tokens;
        this.recipients = recipients;
        this.siteName = properties.siteName();
    }

    @GetMapping("/confirm")
    Mono<ResponseEntity<String>> confirm(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = tokens.verify(token).filter(c -> c.action() == LinkTokens.Action.CONFIRM);
        if (claims.isEmpty()) {
            return Mono.just(invalid());
        }
        return recipients.confirm(claims.get().recipientHash())
                .doOnSuccess(done -> log.info("An address confirmed reply notifications"))
                .thenReturn(page(HttpStatus.OK, "Address confirmed",
                        "Thank you. You will now be told by mail when someone replies to your comments on "
                                + siteName + ". Every such mail has a link to stop them."));
    }

    @GetMapping("/unsubscribe")
    ResponseEntity<String> unsubscribePage(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = unsubscribeClaims(token);
        if (claims.isEmpty()) {
            return invalid();
        }
        String action = "/notifications/unsubscribe?token=" + token;
        return page(HttpStatus.OK, "Unsubscribe",
                "Stop these mails (" + describe(claims.get().kind()) + ") from " + siteName + "?",
                "<form method=\"post\" action=\"" + escape(action) + "\">"
                        + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                        + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    @PostMapping("/unsubscribe")
    Mono<ResponseEntity<String>> unsubscribe(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = unsubscribeClaims(token);
        if (claims.isEmpty()) {
            return Mono.just(invalid());
        }
        return recipients.unsubscribe(claims.get().recipientHash(), claims.get().kind())
                .doOnSuccess(done -> log.info("An address unsubscribed from {}", claims.get().kind()))
                .thenReturn(page(HttpStatus.OK, "Unsubscribed",
                        "You will receive no more of these mails (" + describe(claims.get().kind()) + ") from "
                                + siteName + "."));
    }

    private Optional<LinkTokens.Claims> unsubscribeClaims(@Nullable String token) {
        return tokens.verify(token).filter(c -> c.action() == LinkTokens.Action.UNSUBSCRIBE);
    }

    private static String describe(String kind) {
        return switch (kind) {
            case "comment-published" -> "your comment is published";
            case "comment-rejected" -> "your comment was rejected";
            case "reply" -> "replies to your comments";
            case "moderation-digest" -> "comments waiting for moderation";
            default -> kind;
        };
    }

    private ResponseEntity<String> invalid() {
        return page(HttpStatus.BAD_REQUEST, "Link not valid",
                "This link is not valid. Copy the whole link from the mail, or ask " + siteName + " for help.");
    }

    private ResponseEntity<String> page(HttpStatus status, String title, String message) {
        return page(status, title, message, "");
    }

    private ResponseEntity<String> page(HttpStatus status, String title, String message, String trustedHtml) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex\"><title>" + escape(title) + "</title></head>\n<body>\n"
                + "<h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p>\n" + trustedHtml + "\n</body></html>\n";
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").body(html);
    }

    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
    }
}
