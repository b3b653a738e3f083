package dev.talkback.notification.subscription;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.delivery.Outbox;
import java.util.Optional;
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
import reactor.core.publisher.Mono;

/**
 * The links in the mails. Neither link acts on a GET: link scanners of mail providers open every URL of a mail,
 * and must neither opt a stranger in nor unsubscribe anyone. {@code GET /notifications/confirm?token=…} shows a page
 * with one button; {@code POST /notifications/confirm?token=…} (the button) confirms the address for every mail that
 * needs confirmation and releases the mails that waited for it. {@code GET /notifications/unsubscribe?token=…} shows
 * a page with one button; {@code POST /notifications/unsubscribe?token=…} unsubscribes — what mail clients send for
 * RFC 8058 one-click ({@code List-Unsubscribe=One-Click} in the body) and what the button sends. A bad token gets
 * 400 and a short page; an expired confirmation link 410.
 */
@RestController
@RequestMapping(path = "/notifications", produces = MediaType.TEXT_HTML_VALUE)
class SubscriptionController {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionController.class);

    private final LinkTokens tokens;
    private final Recipients recipients;
    private final Outbox outbox;
    private final String siteName;

    SubscriptionController(LinkTokens tokens, Recipients recipients, Outbox outbox, NotificationProperties properties) {
        this.tokens = tokens;
        this.recipients = recipients;
        this.outbox = outbox;
        this.siteName = properties.site().name();
    }

    @GetMapping("/confirm")
    ResponseEntity<String> confirmPage(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = confirmClaims(token);
        if (claims.isEmpty()) {
            return invalid();
        }
        if (tokens.expired(claims.get())) {
            return expired();
        }
        String action = "/notifications/confirm?token=" + token;
        return Pages.page(
                HttpStatus.OK,
                "Confirm your address",
                "Do you want mail from " + siteName + " about your comments, as you asked in the comment form?",
                "<form method=\"post\" action=\"" + Pages.escape(action) + "\">"
                        + "<button type=\"submit\">Yes, confirm my address</button></form>\n"
                        + "<p>If you did not ask for it, close this page: nothing is sent to you.</p>");
    }

    @PostMapping("/confirm")
    Mono<ResponseEntity<String>> confirm(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = confirmClaims(token);
        if (claims.isEmpty()) {
            return Mono.just(invalid());
        }
        if (tokens.expired(claims.get())) {
            return Mono.just(expired());
        }
        String hash = claims.get().recipientHash();
        return recipients
                .confirm(hash)
                .then(outbox.releaseAwaitingConfirmation(hash))
                .doOnNext(released -> log.info("An address confirmed; {} waiting mail(s) released", released))
                .thenReturn(Pages.page(
                        HttpStatus.OK,
                        "Address confirmed",
                        "Thank you. " + siteName + " will now send you the mails you ask for in the comment form. "
                                + "Every such mail has a link to stop them."));
    }

    private Optional<LinkTokens.Claims> confirmClaims(@Nullable String token) {
        return tokens.verify(token).filter(c -> c.action() == LinkTokens.Action.CONFIRM);
    }

    @GetMapping("/unsubscribe")
    ResponseEntity<String> unsubscribePage(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = unsubscribeClaims(token);
        if (claims.isEmpty()) {
            return invalid();
        }
        String action = "/notifications/unsubscribe?token=" + token;
        return Pages.page(
                HttpStatus.OK,
                "Unsubscribe",
                "Stop these mails (" + describe(claims.get().kind()) + ") from " + siteName + "?",
                "<form method=\"post\" action=\"" + Pages.escape(action) + "\">"
                        + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                        + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    @PostMapping("/unsubscribe")
    Mono<ResponseEntity<String>> unsubscribe(@RequestParam(required = false) @Nullable String token) {
        Optional<LinkTokens.Claims> claims = unsubscribeClaims(token);
        if (claims.isEmpty()) {
            return Mono.just(invalid());
        }
        return recipients
                .unsubscribe(claims.get().recipientHash(), claims.get().kind())
                .doOnSuccess(done ->
                        log.info("An address unsubscribed from {}", claims.get().kind()))
                .thenReturn(Pages.page(
                        HttpStatus.OK,
                        "Unsubscribed",
                        "You will receive no more of these mails ("
                                + describe(claims.get().kind()) + ") from " + siteName + "."));
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
            case "notice" -> "about your notices";
            case Recipients.PRIVACY_KIND -> "links to see or erase your data";
            case "all" -> "every mail";
            default -> kind;
        };
    }

    private ResponseEntity<String> invalid() {
        return Pages.page(
                HttpStatus.BAD_REQUEST,
                "Link not valid",
                "This link is not valid. Copy the whole link from the mail, or ask " + siteName + " for help.");
    }

    private ResponseEntity<String> expired() {
        return Pages.page(
                HttpStatus.GONE,
                "Link expired",
                "This confirmation link has expired. Ask for mail again in the comment form of " + siteName
                        + ": you will get a new link.");
    }
}
