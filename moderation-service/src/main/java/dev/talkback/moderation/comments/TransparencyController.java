package dev.talkback.moderation.comments;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.web.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/moderation/transparency?from=&to=} (ADMIN): the counts of a transparency report for a period, as
 * JSON, or as CSV with {@code Accept: text/csv} or {@code format=csv}.
 */
@RestController
@RequestMapping("/api/moderation")
class TransparencyController {

    /** The longest period one request may count: reading it streams every decision and report in it. */
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    private static final MediaType CSV = new MediaType("text", "csv");

    private final TransparencyReport report;
    private final Duration timeout;

    TransparencyController(TransparencyReport report, ModerationProperties properties) {
        this.report = report;
        this.timeout = properties.storeTimeout().multipliedBy(6);
    }

    @GetMapping(
            path = "/transparency",
            produces = {"application/json", "text/csv"})
    Mono<ResponseEntity<?>> transparency(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) @Nullable String format,
            @RequestHeader(name = "Accept", required = false, defaultValue = "application/json") String accept) {
        if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
            throw ApiProblem.invalidField("format", "must be csv or json");
        }
        if (!from.isBefore(to)) {
            throw ApiProblem.invalidField("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw ApiProblem.invalidField("to", "must be at most 366 days after from");
        }
        boolean csv = "csv".equalsIgnoreCase(format) || format == null && accept.contains("text/csv");
        return report.of(from, to)
                .timeout(timeout)
                .onErrorMap(
                        TimeoutException.class,
                        ex -> new ApiProblem(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "Counting the period took too long; try a shorter one.",
                                List.of(),
                                Duration.ofSeconds(10)))
                .map(counts -> csv
                        ? ResponseEntity.ok().contentType(CSV).body(counts.csv())
                        : ResponseEntity.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .body(counts));
    }
}
