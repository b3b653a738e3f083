package dev.talkback.notification.webhook;

import dev.talkback.notification.delivery.Channel;
import dev.talkback.notification.delivery.DeliveryStatus;
import dev.talkback.notification.delivery.Outbox;
import dev.talkback.notification.delivery.OutboxEntry;
import dev.talkback.support.web.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Admin view of webhook deliveries: {@code GET /api/notifications/webhook-deliveries?status=FAILED&limit=100}
 * lists them (newest first), {@code POST /api/notifications/webhook-deliveries/{id}/redrive} makes a failed one due
 * again with a fresh attempt count. Both need a bearer JWT with the role {@code ADMIN} (see
 * {@code SecurityConfiguration}). Errors are RFC 9457 problem details.
 */
@RestController
@RequestMapping("/api/notifications/webhook-deliveries")
class WebhookAdminController {

    /** One delivery as shown to an admin. */
    record DeliveryView(
            String id,
            String type,
            String url,
            DeliveryStatus status,
            int attempts,
            Instant createdAt,
            Instant nextAttemptAt,
            @Nullable Instant sentAt,
            @Nullable String lastError) {

        static DeliveryView of(OutboxEntry entry) {
            return new DeliveryView(
                    entry.id(),
                    entry.webhook() == null ? entry.kind() : entry.webhook().type(),
                    entry.webhook() == null ? "" : entry.webhook().url(),
                    entry.status(),
                    entry.attempts(),
                    entry.createdAt(),
                    entry.nextAttemptAt(),
                    entry.sentAt(),
                    entry.lastError());
        }
    }

    private final Outbox outbox;

    WebhookAdminController(Outbox outbox) {
        this.outbox = outbox;
    }

    @GetMapping
    Mono<ResponseEntity<?>> list(
            @RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "100") int limit) {
        DeliveryStatus wanted = null;
        if (status != null) {
            try {
                wanted = DeliveryStatus.valueOf(status);
            } catch (IllegalArgumentException ex) {
                return Mono.error(invalid("status", "must be one of PENDING, SENDING, SENT, FAILED, CANCELLED"));
            }
        }
        if (limit < 1 || limit > 1000) {
            return Mono.error(invalid("limit", "must be between 1 and 1000"));
        }
        return outbox.list(Channel.WEBHOOK, wanted, limit)
                .map(DeliveryView::of)
                .collectList()
                .map(deliveries -> ResponseEntity.ok(Map.of("deliveries", deliveries)));
    }

    @PostMapping("/{id}/redrive")
    Mono<ResponseEntity<?>> redrive(@PathVariable String id) {
        return outbox.redrive(Channel.WEBHOOK, id)
                .<ResponseEntity<?>>map(entry -> ResponseEntity.accepted().body(DeliveryView.of(entry)))
                .switchIfEmpty(Mono.defer(() -> outbox.find(id)
                        .filter(entry -> entry.channel() == Channel.WEBHOOK)
                        .<ResponseEntity<?>>flatMap(entry -> Mono.error(new ApiProblem(
                                HttpStatus.CONFLICT,
                                "Only a FAILED delivery can be re-driven; this one is " + entry.status() + ".")))
                        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No webhook delivery with this id.")))));
    }

    private static ApiProblem invalid(String field, String message) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST,
                "The request has invalid parameters.",
                List.of(new ApiProblem.FieldProblem(field, message)));
    }
}
