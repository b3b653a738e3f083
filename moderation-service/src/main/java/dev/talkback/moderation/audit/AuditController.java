package dev.talkback.moderation.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/moderation/audit}: the audit log, newest first (ADMIN). */
@RestController
@Validated
class AuditController {

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    @GetMapping("/api/moderation/audit")
    Mono<AuditPage> audit(
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(defaultValue = "") String before,
            @RequestParam(defaultValue = "") String target,
            @RequestParam(defaultValue = "") String who) {
        return log.entries(limit, before, target, who)
                .collectList()
                .map(items -> new AuditPage(
                        items,
                        items.size() == limit ? items.get(items.size() - 1).id() : null));
    }

    /** A page of entries; {@code next} is the {@code before} of the next page, or {@code null}. */
    record AuditPage(List<AuditEntry> items, @Nullable String next) {}
}
