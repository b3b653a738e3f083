package dev.talkback.moderation.rules;

import dev.talkback.moderation.audit.AuditLog;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.security.Principal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Site-wide and per-article settings (ADMIN). A {@code PUT} replaces the whole settings document; unset members mean
 * "default" (site) or "as the site" (article).
 */
@RestController
@RequestMapping("/api/moderation")
@Validated
class SettingsController {

    private static final String ARTICLE_ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,199}";

    private final ReactiveMongoTemplate mongo;
    private final ActiveRules rules;
    private final AuditLog audit;
    private final Clock clock;

    SettingsController(ReactiveMongoTemplate mongo, ActiveRules rules, AuditLog audit, Clock clock) {
        this.mongo = mongo;
        this.rules = rules;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping("/settings")
    Mono<Settings> site() {
        return read(Settings.SITE);
    }

    @PutMapping("/settings")
    Mono<Settings> updateSite(@Valid @RequestBody Settings.Request request, Principal principal) {
        return write(Settings.SITE, request, principal);
    }

    @GetMapping("/articles/{articleId}/settings")
    Mono<Settings> article(@PathVariable @Pattern(regexp = ARTICLE_ID) String articleId) {
        return read(Settings.articleId(articleId));
    }

    @PutMapping("/articles/{articleId}/settings")
    Mono<Settings> updateArticle(
            @PathVariable @Pattern(regexp = ARTICLE_ID) String articleId,
            @Valid @RequestBody Settings.Request request,
            Principal principal) {
        return write(Settings.articleId(articleId), request, principal);
    }

    private Mono<Settings> read(String id) {
        return mongo.findById(id, Settings.class)
                .defaultIfEmpty(new Settings(id, null, null, null, null, null, null, null, null));
    }

    private Mono<Settings> write(String id, Settings.Request request, Principal principal) {
        Settings settings = request.toSettings(id, clock.instant().truncatedTo(ChronoUnit.MILLIS), principal.getName());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", String.valueOf(settings.mode()));
        details.put("closed", String.valueOf(settings.closed()));
        details.put("maxLinks", String.valueOf(settings.maxLinks()));
        details.put(
                "bannedWords",
                settings.bannedWords() == null ? 0 : settings.bannedWords().size());
        details.put(
                "suspectWords",
                settings.suspectWords() == null ? 0 : settings.suspectWords().size());
        details.put("thresholds", String.valueOf(settings.thresholds()));
        details.put(
                "blockedLinkDomains",
                settings.blockedLinkDomains() == null
                        ? 0
                        : settings.blockedLinkDomains().size());
        details.put("disposableEmail", String.valueOf(settings.disposableEmail()));
        details.put("dnsUnavailable", String.valueOf(settings.dnsUnavailable()));
        details.put("floods", String.valueOf(settings.floods()));
        details.put("duplicates", String.valueOf(settings.duplicates()));
        details.put("trustedAfter", String.valueOf(settings.trustedAfter()));
        details.put("abuseHoldFrom", String.valueOf(settings.abuseHoldFrom()));
        details.put("abuseRejectFrom", String.valueOf(settings.abuseRejectFrom()));
        details.put("reports", String.valueOf(settings.reports()));
        return mongo.save(settings)
                .flatMap(saved -> audit.record(principal.getName(), "settings.update", id, details)
                        .then(rules.refresh())
                        .thenReturn(saved));
    }
}
