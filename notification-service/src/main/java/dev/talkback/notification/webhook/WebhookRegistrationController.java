package dev.talkback.notification.webhook;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.web.ApiProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The site's webhooks, for admins ({@code ADMIN} role, see {@code SecurityConfiguration}):
 * {@code GET /api/notifications/webhooks} lists the configured ones (read-only, no secret) and the registered
 * ones (no secret either); {@code POST} registers one, {@code DELETE /{id}} removes a registered one. A secret is
 * never shown again after registration: when the admin sends none, the generated one is in the 201 answer, once.
 * Invalid input gets 422 with {@code errors[{field,message}]}, among it a URL that is not https or points to an
 * internal address ({@link Destinations}).
 */
@RestController
@RequestMapping("/api/notifications/webhooks")
class WebhookRegistrationController {

    private static final Logger log = LoggerFactory.getLogger(WebhookRegistrationController.class);
    private static final String PATH = "/api/notifications/webhooks";
    private static final int MIN_SECRET = 16;
    private static final int MAX_SECRET = 256;
    private static final int MAX_URL = 2000;
    private static final int MAX_DESCRIPTION = 200;

    /** What an admin sends; every field optional for the parser, checked here so that each error names its field. */
    record Registration(
            @Nullable String url,
            @Nullable String secret,
            @Nullable List<String> events,
            @Nullable String description) {}

    /** A webhook as shown to an admin: never its secret. */
    record WebhookView(
            String id,
            String url,
            List<String> events,
            @Nullable String description,
            boolean readOnly,
            @Nullable Instant createdAt) {

        static WebhookView of(WebhookRegistry.Target target) {
            return new WebhookView(
                    target.id(),
                    target.url(),
                    target.events().isEmpty() ? WebhookRegistry.EVENTS : target.events(),
                    target.description(),
                    target.readOnly(),
                    target.createdAt());
        }
    }

    private final WebhookRegistry registry;
    private final Destinations destinations;
    private final SecureRandom random = new SecureRandom();

    WebhookRegistrationController(WebhookRegistry registry, NotificationProperties properties) {
        this.registry = registry;
        this.destinations = new Destinations(properties.webhooks().policy());
    }

    @GetMapping
    Map<String, Object> list() {
        return Map.of("webhooks", registry.all().stream().map(WebhookView::of).toList());
    }

    @PostMapping
    Mono<ResponseEntity<?>> register(@RequestBody Registration registration) {
        List<ApiProblem.FieldProblem> errors = new ArrayList<>();
        String url = registration.url() == null ? "" : registration.url().strip();
        String urlProblem = urlProblem(url);
        if (urlProblem != null) {
            errors.add(error("url", urlProblem));
        }
        String secret = registration.secret();
        boolean generated = secret == null || secret.isEmpty();
        if (!generated && (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET)) {
            errors.add(error(
                    "secret",
                    "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters, or left out to have one generated"));
        }
        List<String> events = registration.events() == null
                ? List.of()
                : registration.events().stream()
                        .map(e -> e == null ? "" : e.strip())
                        .distinct()
                        .toList();
        for (int i = 0; i < events.size(); i++) {
            if (!WebhookRegistry.EVENTS.contains(events.get(i))) {
                errors.add(error("events[" + i + "]", "must be one of " + String.join(", ", WebhookRegistry.EVENTS)));
            }
        }
        String description = registration.description() == null
                ? null
                : registration.description().strip();
        if (description != null
                && (description.length() > MAX_DESCRIPTION
                        || description.codePoints().anyMatch(Character::isISOControl))) {
            errors.add(error("description", "must be one line of at most " + MAX_DESCRIPTION + " characters"));
        }
        if (errors.isEmpty() && registry.isConfigured(url)) {
            errors.add(error("url", "is already a configured webhook"));
        }
        if (!errors.isEmpty()) {
            return Mono.error(invalid(errors));
        }
        String effectiveSecret = generated ? generateSecret() : secret;
        return registry.register(
                        url,
                        effectiveSecret,
                        events.size() == WebhookRegistry.EVENTS.size() ? List.of() : events,
                        description == null || description.isEmpty() ? null : description)
                .<ResponseEntity<?>>map(target -> {
                    log.info("Webhook {} registered", target.id());
                    Map<String, Object> body = new LinkedHashMap<>();
                    WebhookView view = WebhookView.of(target);
                    body.put("id", view.id());
                    body.put("url", view.url());
                    body.put("events", view.events());
                    body.put("description", view.description());
                    body.put("readOnly", false);
                    body.put("createdAt", view.createdAt());
                    if (generated) {
                        body.put("secret", effectiveSecret); // shown this once, never listed
                    }
                    return ResponseEntity.created(URI.create(PATH + "/" + target.id()))
                            .body(body);
                })
                .onErrorResume(
                        DuplicateKeyException.class,
                        duplicate -> Mono.error(invalid(List.of(error("url", "is already registered")))));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<?>> remove(@PathVariable String id) {
        if (registry.all().stream()
                .anyMatch(target -> target.readOnly() && target.id().equals(id))) {
            return Mono.error(new ApiProblem(
                    HttpStatus.CONFLICT,
                    "A configured webhook is read-only; remove it from notification.webhooks.configured."));
        }
        return registry.remove(id)
                .<ResponseEntity<?>>map(target -> {
                    log.info("Webhook {} removed", target.id());
                    return ResponseEntity.noContent().build();
                })
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No registered webhook with this id.")));
    }

    private @Nullable String urlProblem(String url) {
        if (url.isEmpty()) {
            return "is required";
        }
        if (url.length() > MAX_URL) {
            return "must be at most " + MAX_URL + " characters";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return "must be an absolute http or https URL with a host";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not contain credentials";
            }
            if (uri.getRawFragment() != null) {
                return "must not have a fragment";
            }
            // https only, and no internal address (host names are checked again, resolved, at each call)
            return destinations.urlProblem(uri);
        } catch (URISyntaxException ex) {
            return "must be an absolute http or https URL with a host";
        }
    }

    private String generateSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ApiProblem.FieldProblem error(String field, String message) {
        return new ApiProblem.FieldProblem(field, message);
    }

    private static ApiProblem invalid(List<ApiProblem.FieldProblem> errors) {
        return ApiProblem.invalidFields("The webhook is not valid.", errors);
    }
}
