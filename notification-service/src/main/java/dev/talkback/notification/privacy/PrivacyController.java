package dev.talkback.notification.privacy;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.PersonalData.Person;
import dev.talkback.notification.mail.MailAddresses;
import dev.talkback.notification.subscription.LinkTokens;
import dev.talkback.notification.subscription.LinkTokens.PrivacyClaims;
import dev.talkback.notification.subscription.Pages;
import dev.talkback.support.privacy.AddressKeys;
import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.RequestBodies;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The readers' privacy pages and their one API call. Public: a reader has no account; what authorises an export or an
 * erasure is the link mailed to the address (an encrypted, expiring token, {@link LinkTokens#signPrivacy}), so only
 * whoever reads that mailbox can act on it. As for the other links in mails, a GET never acts (mail providers' link
 * scanners open every URL): each page shows buttons that POST.
 *
 * <ul>
 *   <li>{@code GET /privacy}: a form to ask for a link; {@code POST /api/privacy/requests} (JSON {@code {"email"}}
 *       or that form) mails the address a link, at most once per {@code notification.privacy.mail-interval}, and
 *       answers 202 with the same words whatever the address (no one learns what the site holds about it). Counted
 *       per client address before the body is read ({@link ClientLimits}: 429 beyond), the body at most
 *       {@value #MAX_BODY} bytes (413), an address that is not one 422.</li>
 *   <li>{@code GET /privacy?token=}: the page of the link, with "Download my data" and "Erase my data".</li>
 *   <li>{@code POST /privacy/export?token=}: makes the export (one per link: its id is derived from the link), with
 *       this service's records, asks the other services for theirs, and sends the browser to
 *       {@code GET /privacy/export/{id}?token=}, which waits for them (it refreshes itself) and then offers
 *       {@code GET /privacy/export/{id}.json?token=}, the whole export as one JSON document. An export is shown only
 *       to a link of the address it was made for.</li>
 *   <li>{@code POST /privacy/erasure?token=} (with the box ticked that says the reader understands): asks every
 *       service, this one included, to erase what it holds by the address.</li>
 * </ul>
 */
@RestController
class PrivacyController {

    /** The largest body of a privacy request: an address is at most 254 characters. */
    static final int MAX_BODY = 2048;

    private static final Logger log = LoggerFactory.getLogger(PrivacyController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EXPORT_ID = "{exportId:[0-9a-f-]+}";

    private final ClientLimits limits;
    private final PrivacyMails mails;
    private final LinkTokens tokens;
    private final AddressKeys keys;
    private final PersonalRecords records;
    private final PrivacyExports exports;
    private final PrivacyEvents events;
    private final String siteName;
    private final String accepted;
    private final boolean waitsForServices;

    PrivacyController(
            ClientLimits limits,
            PrivacyMails mails,
            LinkTokens tokens,
            AddressKeys keys,
            PersonalRecords records,
            PrivacyExports exports,
            PrivacyEvents events,
            NotificationProperties properties) {
        this.limits = limits;
        this.mails = mails;
        this.tokens = tokens;
        this.keys = keys;
        this.records = records;
        this.exports = exports;
        this.events = events;
        this.siteName = properties.site().name();
        this.accepted = "If this is your address, a link is on its way to it: it opens a page where you can download"
                + " or erase what " + siteName + " holds about the address, and works for "
                + PrivacyMails.describe(properties.privacy().linkValidity()) + ". At most one such mail is sent to an"
                + " address every " + PrivacyMails.describe(properties.privacy().mailInterval()) + ".";
        this.waitsForServices = !properties.privacy().exportServices().isEmpty();
    }

    // --- asking for a link ---------------------------------------------------------------------------------------

    @GetMapping(path = "/privacy", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@RequestParam(required = false) @Nullable String token) {
        if (token == null || token.isEmpty()) {
            return Pages.page(
                    HttpStatus.OK,
                    "Your data on " + siteName,
                    "Readers of " + siteName + " have no account: the site knows your comments and mails by your"
                            + " address. Type it here, and " + siteName + " mails it a link to a page where you can"
                            + " download or erase what it holds about the address.",
                    requestForm());
        }
        Optional<PrivacyClaims> claims = tokens.verifyPrivacy(token);
        if (claims.isEmpty()) {
            return invalid();
        }
        if (tokens.expired(claims.get())) {
            return expired();
        }
        String query = "?token=" + UriUtils.encodeQueryParam(token, StandardCharsets.UTF_8);
        return Pages.page(
                HttpStatus.OK,
                "Your data on " + siteName,
                "This page is for the address the link was sent to. Nothing happens until you press a button.",
                "<h2>Download my data</h2>\n<p>A copy of everything " + Pages.escape(siteName) + " holds about this"
                        + " address: your comments, the mails you asked for or were sent, your notices. It takes a"
                        + " few moments to gather.</p>\n"
                        + "<form method=\"post\" action=\"" + Pages.escape("/privacy/export" + query) + "\">"
                        + "<button type=\"submit\">Download my data</button></form>\n"
                        + "<h2>Erase my data</h2>\n<p><strong>This cannot be undone.</strong> Everything "
                        + Pages.escape(siteName) + " holds about this address is erased: what you asked to be"
                        + " mailed, the mails sent to you, your notices, and your comments. As the site has chosen,"
                        + " your comments either stay in their threads as &quot;[deleted]&quot;, without name or"
                        + " text, so that the replies to them still make sense, or are removed. You get no more mail"
                        + " from the site unless you ask for it again. Mails already delivered stay in your"
                        + " mailbox.</p>\n"
                        + "<form method=\"post\" action=\"" + Pages.escape("/privacy/erasure" + query) + "\">"
                        + "<p><label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> I understand"
                        + " that my data is erased for good.</label></p>"
                        + "<button type=\"submit\">Erase my data</button></form>\n"
                        + "<p>This link works until "
                        + Pages.escape(claims.get().expiresAt().toString()) + ".</p>");
    }

    /**
     * Mails the address a link. JSON {@code {"email": "…"}} answers JSON (202, or a problem detail), the form of
     * {@code GET /privacy} answers pages.
     */
    @PostMapping("/api/privacy/requests")
    Mono<ResponseEntity<Object>> request(ServerHttpRequest request) {
        Duration wait = limits.take(request);
        boolean form = isForm(request);
        if (wait != null) {
            log.info("Privacy request refused: its client is over the limit");
            if (form) {
                ResponseEntity<String> page = Pages.page(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "Too many requests",
                        "Too many links were asked for from your connection. Try again later.");
                return Mono.just(object(page, Math.max(1, wait.toSeconds())));
            }
            return Mono.error(new ApiProblem(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "Too many privacy requests from this client; try again later.",
                    List.of(),
                    wait));
        }
        return body(request)
                .map(bytes -> form ? formField(bytes) : jsonField(bytes))
                .flatMap(email -> {
                    Optional<InternetAddress> address = MailAddresses.recipient(email);
                    if (address.isEmpty()) {
                        if (form) {
                            return Mono.just(object(
                                    Pages.page(
                                            HttpStatus.UNPROCESSABLE_CONTENT,
                                            "That is not an address",
                                            "Type one email address, such as ada@example.org.",
                                            requestForm()),
                                    0));
                        }
                        return Mono.error(
                                ApiProblem.invalidField("email", "must be one email address, such as ada@example.org"));
                    }
                    return Mono.fromCallable(() -> mails.request(address.get()))
                            .subscribeOn(Schedulers.boundedElastic())
                            .doOnNext(recorded -> log.info(
                                    "Privacy link requested: {}",
                                    recorded ? "mail recorded" : "one was mailed within the interval, none again"))
                            .map(recorded -> form
                                    ? object(Pages.page(HttpStatus.ACCEPTED, "Check your mail", accepted), 0)
                                    : ResponseEntity.status(HttpStatus.ACCEPTED)
                                            .contentType(MediaType.APPLICATION_JSON)
                                            .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                            .<Object>body(Map.of("message", accepted)));
                });
    }

    // --- export ---------------------------------------------------------------------------------------------------

    @PostMapping(path = "/privacy/export", produces = MediaType.TEXT_HTML_VALUE)
    Mono<ResponseEntity<String>> export(@RequestParam(required = false) @Nullable String token) {
        Optional<PrivacyClaims> claims = tokens.verifyPrivacy(token);
        if (claims.isEmpty() || token == null) {
            return Mono.just(invalid());
        }
        if (tokens.expired(claims.get())) {
            return Mono.just(expired());
        }
        String address = claims.get().address();
        UUID exportId = idOf("export", claims.get());
        ResponseEntity<String> seeOther = ResponseEntity.status(HttpStatus.SEE_OTHER)
                .location(URI.create("/privacy/export/" + exportId + query(token)))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
        return exports.find(exportId)
                .map(existing -> seeOther)
                .switchIfEmpty(Mono.defer(() -> Mono.fromCallable(() -> {
                            Person person = records.person(address);
                            String own = JSON.writeValueAsString(records.export(person));
                            return exports.create(exportId, keys.of(address), own);
                        })
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(created -> !created || !waitsForServices
                                ? Mono.<Void>empty()
                                : events.exportRequested(exportId, address)
                                        .onErrorResume(failed ->
                                                exports.remove(exportId).then(Mono.error(failed))))
                        .thenReturn(seeOther)))
                .onErrorResume(failed -> {
                    log.warn(
                            "Export {} could not be made ({})",
                            exportId,
                            failed.getClass().getName());
                    return Mono.just(unavailable());
                });
    }

    @GetMapping(path = "/privacy/export/" + EXPORT_ID, produces = MediaType.TEXT_HTML_VALUE)
    Mono<ResponseEntity<String>> exportPage(
            @PathVariable String exportId, @RequestParam(required = false) @Nullable String token) {
        Optional<PrivacyClaims> claims = tokens.verifyPrivacy(token);
        if (claims.isEmpty() || token == null) {
            return Mono.just(invalid());
        }
        if (tokens.expired(claims.get())) {
            return Mono.just(expired());
        }
        return exportOf(exportId, claims.get())
                .flatMap(export -> exports.status(export).map(status -> {
                    String download =
                            "<p><a href=\"" + Pages.escape("/privacy/export/" + export.id() + ".json" + query(token))
                                    + "\" download>Download my data (JSON)</a></p>\n"
                                    + "<p>The export is kept for 24 hours from "
                                    + Pages.escape(export.createdAt().toString())
                                    + ", then deleted.</p>";
                    if (status.complete()) {
                        return Pages.page(
                                HttpStatus.OK,
                                "Your data is ready",
                                status.truncated()
                                        ? "Your data is ready, but not all of it: "
                                                + PrivacyExports.describe(status)
                                                + ". Ask the site's editors for the rest."
                                        : "Everything " + siteName + " holds about this address is in this file.",
                                download);
                    }
                    if (status.timedOut()) {
                        return Pages.page(
                                HttpStatus.OK,
                                "Your data is not complete",
                                "Not every part of " + siteName + " answered in time ("
                                        + PrivacyExports.describe(status)
                                        + "). You can download what arrived; the file says what is missing. Ask for"
                                        + " a new link later, or ask the site's editors.",
                                download);
                    }
                    return Pages.page(
                            HttpStatus.OK,
                            "Your data is being prepared",
                            "The parts of " + siteName + " are gathering what they hold about this address. This"
                                    + " page refreshes itself every few seconds.",
                            "",
                            "<meta http-equiv=\"refresh\" content=\"3\">");
                }))
                .defaultIfEmpty(noSuchExport());
    }

    @GetMapping(path = "/privacy/export/" + EXPORT_ID + ".json")
    Mono<ResponseEntity<Flux<DataBuffer>>> download(
            @PathVariable String exportId,
            @RequestParam(required = false) @Nullable String token,
            ServerHttpResponse response) {
        Optional<PrivacyClaims> claims = tokens.verifyPrivacy(token);
        if (claims.isEmpty()) {
            return Mono.error(new ApiProblem(HttpStatus.BAD_REQUEST, "This link is not valid."));
        }
        if (tokens.expired(claims.get())) {
            return Mono.error(new ApiProblem(HttpStatus.GONE, "This link has expired; ask for a new one."));
        }
        return exportOf(exportId, claims.get())
                .flatMap(export -> exports.status(export)
                        .map(status -> ResponseEntity.ok()
                                .contentType(new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8))
                                .header(
                                        HttpHeaders.CONTENT_DISPOSITION,
                                        "attachment; filename=\"data-" + export.id() + ".json\"")
                                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                .header("Referrer-Policy", "no-referrer")
                                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                                .body(exports.json(export, status, claims.get().address(), response.bufferFactory()))))
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No such export: it may have expired.")));
    }

    /** The export, if it exists and was made for the link's address; else empty, the same for both. */
    private Mono<PrivacyExports.Export> exportOf(String exportId, PrivacyClaims claims) {
        UUID id;
        try {
            id = UUID.fromString(exportId);
        } catch (IllegalArgumentException notAnId) {
            return Mono.empty();
        }
        String addressKey = keys.of(claims.address());
        return exports.find(id).filter(export -> export.addressKey().equals(addressKey));
    }

    // --- erasure --------------------------------------------------------------------------------------------------

    @PostMapping(path = "/privacy/erasure", produces = MediaType.TEXT_HTML_VALUE)
    Mono<ResponseEntity<String>> erasure(
            @RequestParam(required = false) @Nullable String token, ServerWebExchange exchange) {
        Optional<PrivacyClaims> claims = tokens.verifyPrivacy(token);
        if (claims.isEmpty()) {
            return Mono.just(invalid());
        }
        if (tokens.expired(claims.get())) {
            return Mono.just(expired());
        }
        UUID erasureId = idOf("erasure", claims.get());
        return exchange.getFormData()
                .flatMap(form -> {
                    if (!"yes".equals(form.getFirst("confirm"))) {
                        // a button pressed without the box ticked, or a scanner that submits forms: nothing happens
                        return Mono.just(Pages.page(
                                HttpStatus.BAD_REQUEST,
                                "Nothing was erased",
                                "Tick the box that says you understand, then press the button again."));
                    }
                    return events.erasure(erasureId, claims.get().address())
                            .thenReturn(Pages.page(
                                    HttpStatus.ACCEPTED,
                                    "Your data is being erased",
                                    "Every part of " + siteName + " is erasing what it holds about this address;"
                                            + " this takes a few moments. Your comments are anonymised or removed,"
                                            + " as the site has chosen. You get no more mail from the site unless"
                                            + " you ask for it again. Reference: " + erasureId + "."));
                })
                .onErrorResume(failed -> {
                    log.warn(
                            "Erasure {} could not be requested ({})",
                            erasureId,
                            failed.getClass().getName());
                    return Mono.just(unavailable());
                });
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** An export's or erasure's id: derived from the link, so the same link pressed twice makes one. */
    private static UUID idOf(String purpose, PrivacyClaims claims) {
        return UUID.nameUUIDFromBytes((purpose + ":" + claims.linkId()).getBytes(StandardCharsets.UTF_8));
    }

    private static String query(String token) {
        return "?token=" + UriUtils.encodeQueryParam(token, StandardCharsets.UTF_8);
    }

    private static String requestForm() {
        return "<form method=\"post\" action=\"/api/privacy/requests\">"
                + "<p><label for=\"email\">Your email address</label> "
                + "<input id=\"email\" name=\"email\" type=\"email\" required maxlength=\"254\" autocomplete=\"email\">"
                + "</p><button type=\"submit\">Send me a link</button></form>";
    }

    private static boolean isForm(ServerHttpRequest request) {
        MediaType type = RequestBodies.contentType(request);
        if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
            return true;
        }
        if (RequestBodies.isJson(type)) {
            return false;
        }
        throw new UnsupportedMediaTypeStatusException(
                type, List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED));
    }

    /** The body, at most {@value #MAX_BODY} bytes (413 beyond); none is an empty one. */
    private static Mono<byte[]> body(ServerHttpRequest request) {
        return RequestBodies.read(request, MAX_BODY).defaultIfEmpty(new byte[0]);
    }

    /** {@code email} of a JSON object; a body that is not one is a 400, a missing or non-text field a 422. */
    private static String jsonField(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JacksonException malformed) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The body must be a JSON object with the field email.");
        }
        if (json == null || !json.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The body must be a JSON object with the field email.");
        }
        JsonNode email = json.get("email");
        if (email == null || !email.isString()) {
            throw ApiProblem.invalidField("email", "is required, as text");
        }
        return email.asString();
    }

    /** {@code email} of a form; none is an empty address (422), a malformed escape a 400. */
    private static String formField(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            for (String pair : text.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (name.equals("email")) {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException malformed) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The form is not valid.");
        }
        return "";
    }

    /** A page as the request's answer, with {@code Retry-After} when positive. */
    private static ResponseEntity<Object> object(ResponseEntity<String> page, long retryAfterSeconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(page.getHeaders());
        if (retryAfterSeconds > 0) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return new ResponseEntity<>(page.getBody(), headers, page.getStatusCode());
    }

    private ResponseEntity<String> invalid() {
        return Pages.page(
                HttpStatus.BAD_REQUEST,
                "Link not valid",
                "This link is not valid. Copy the whole link from the mail, or ask for a new one.",
                requestForm());
    }

    private ResponseEntity<String> expired() {
        return Pages.page(
                HttpStatus.GONE,
                "Link expired",
                "This link has expired. Ask for a new one: " + siteName + " mails it to your address.",
                requestForm());
    }

    private ResponseEntity<String> noSuchExport() {
        return Pages.page(
                HttpStatus.NOT_FOUND,
                "No such export",
                "There is no such export for this link. Exports are kept for 24 hours; open your link again to"
                        + " make a new one.");
    }

    private ResponseEntity<String> unavailable() {
        return Pages.page(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Try again in a minute",
                siteName + " cannot do this right now; nothing was changed. Try again in a minute.");
    }
}
