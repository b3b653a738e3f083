package dev.talkback.moderation.rules;

import dev.talkback.moderation.audit.AuditLog;
import dev.talkback.support.web.ApiProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.IDN;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Bans of authors by email, email domain, IP or CIDR range (ADMIN). */
@RestController
@RequestMapping("/api/moderation/bans")
class BanController {

    private static final java.util.regex.Pattern DOMAIN = java.util.regex.Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private final ReactiveMongoTemplate mongo;
    private final ActiveRules rules;
    private final AuditLog audit;
    private final AuthorRejection rejection;
    private final Clock clock;

    BanController(
            ReactiveMongoTemplate mongo, ActiveRules rules, AuditLog audit, AuthorRejection rejection, Clock clock) {
        this.mongo = mongo;
        this.rules = rules;
        this.audit = audit;
        this.rejection = rejection;
        this.clock = clock;
    }

    @GetMapping
    Mono<BanList> bans() {
        Instant now = clock.instant();
        return mongo.find(new Query().with(Sort.by("createdAt")), Ban.class)
                .map(ban -> new BanView(ban, ban.activeAt(now)))
                .collectList()
                .map(BanList::new);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<BanCreated> ban(@Valid @RequestBody BanRequest request, Principal principal) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiProblem.invalidField("expiresAt", "must be in the future");
        }
        if (request.expiresAt() != null && request.expiresAt().isAfter(LATEST_EXPIRY)) {
            // MongoDB stores dates as epoch milliseconds: a later instant cannot be written (it was a 500)
            throw ApiProblem.invalidField("expiresAt", "must be before the year 10000");
        }
        Ban ban = new Ban(
                UUID.randomUUID().toString(),
                request.type(),
                normalised(request.type(), request.value()),
                request.reason().strip(),
                now,
                principal.getName(),
                request.expiresAt());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", ban.type().name());
        details.put("reason", ban.reason());
        details.put("rejectExisting", request.rejectsExisting());
        return mongo.insert(ban)
                .flatMap(saved -> audit.record(principal.getName(), "ban.create", "ban:" + saved.id(), details)
                        .then(rules.refresh())
                        .then(
                                request.rejectsExisting()
                                        ? rejection.rejectAllCaughtBy(saved, principal.getName())
                                        : Mono.just(new AuthorRejection.Report(List.of(), List.of())))
                        .map(report -> new BanCreated(new BanView(saved, true), report)));
    }

    @DeleteMapping("/{id}")
    Mono<org.springframework.http.ResponseEntity<Void>> unban(@PathVariable String id, Principal principal) {
        return mongo.findAndRemove(
                        Query.query(org.springframework.data.mongodb.core.query.Criteria.where("_id")
                                .is(id)),
                        Ban.class)
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No ban with id " + id + ".")))
                .flatMap(removed -> audit.record(
                                principal.getName(),
                                "ban.delete",
                                "ban:" + id,
                                Map.of("type", removed.type().name()))
                        .then(rules.refresh()))
                .thenReturn(org.springframework.http.ResponseEntity.noContent().build());
    }

    private static String normalised(Ban.Type type, String raw) {
        String value = raw.strip();
        return switch (type) {
            case EMAIL -> {
                int at = value.lastIndexOf('@');
                if (at < 1 || at == value.length() - 1 || value.length() > 254 || value.contains(" ")) {
                    throw ApiProblem.invalidField("value", "must be an email address");
                }
                yield value.toLowerCase(Locale.ROOT);
            }
            case DOMAIN -> {
                String domain = value.startsWith("@") ? value.substring(1) : value;
                String ascii;
                try {
                    ascii = IDN.toASCII(domain).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.invalidField("value", "must be a domain name like example.org");
                }
                if (!DOMAIN.matcher(ascii).matches()) {
                    throw ApiProblem.invalidField("value", "must be a domain name like example.org");
                }
                yield ascii;
            }
            case IP -> {
                if (!IpLiterals.isLiteral(value)) {
                    throw ApiProblem.invalidField("value", "must be an IPv4 or IPv6 address");
                }
                yield IpLiterals.canonical(value);
            }
            case CIDR -> {
                String problem = IpLiterals.cidrProblem(value);
                if (!problem.isEmpty()) {
                    throw ApiProblem.invalidField("value", problem);
                }
                yield value.toLowerCase(Locale.ROOT);
            }
        };
    }

    /**
     * The body of {@code POST /bans}.
     *
     * @param type           EMAIL, DOMAIN, IP or CIDR
     * @param value          the address, domain, IP or range
     * @param reason         why
     * @param expiresAt      when the ban ends, or {@code null} for never
     * @param rejectExisting also reject every held and published comment the ban catches, now
     */
    record BanRequest(
            @NotNull Ban.Type type,
            @NotBlank @Size(max = 254) String value,
            @NotBlank @Size(max = 500) String reason,
            @Nullable Instant expiresAt,
            @Nullable Boolean rejectExisting) {

        boolean rejectsExisting() {
            return Boolean.TRUE.equals(rejectExisting);
        }
    }

    /** A ban as listed; the value of an EMAIL ban is shown, since only administrators see this list. */
    record BanView(
            String id,
            Ban.Type type,
            String value,
            String reason,
            Instant createdAt,
            String createdBy,
            @Nullable Instant expiresAt,
            boolean active) {

        BanView(Ban ban, boolean active) {
            this(
                    ban.id(),
                    ban.type(),
                    ban.value(),
                    ban.reason(),
                    ban.createdAt(),
                    ban.createdBy(),
                    ban.expiresAt(),
                    active);
        }
    }

    record BanList(List<BanView> items) {}

    record BanCreated(BanView ban, AuthorRejection.Report existing) {}
}
