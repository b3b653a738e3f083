package dev.talkback.moderation.deadletters;

import dev.talkback.support.web.ApiProblem;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Dead letters for administrators: list them, re-drive them (ADMIN). */
@RestController
@RequestMapping("/api/moderation/dead-letters")
class DeadLetterController {

    private static final String ALL = "all";

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    Mono<DeadLetters.Listing> list(
            @RequestParam(defaultValue = ALL) String topic,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) @Nullable String after) {
        List<String> topics = ALL.equals(topic) ? DeadLetterId.TOPICS : List.of(known(topic));
        DeadLetterId cursor = null;
        if (after != null && !after.isEmpty()) {
            cursor = DeadLetterId.parse(after);
            if (cursor == null || !topics.contains(cursor.topic())) {
                throw ApiProblem.invalidField("after", "must be the id of a dead letter of the listed topics");
            }
        }
        return deadLetters.list(topics, cursor, limit);
    }

    @PostMapping("/redrive")
    Mono<DeadLetters.RedriveReport> redrive(@RequestBody RedriveRequest request, Principal principal) {
        boolean all = Boolean.TRUE.equals(request.all());
        List<String> ids = request.ids() == null ? List.of() : request.ids();
        if (all == !ids.isEmpty()) {
            throw ApiProblem.invalidField("ids", "give either ids or all: true with a topic");
        }
        if (ids.size() > 500 || ids.stream().anyMatch(id -> id == null || id.isBlank() || id.length() > 300)) {
            throw ApiProblem.invalidField("ids", "at most 500 ids, none blank");
        }
        boolean force = Boolean.TRUE.equals(request.force());
        if (all) {
            String topic = request.topic();
            if (topic == null) {
                throw ApiProblem.invalidField("topic", "must be one of " + String.join(", ", DeadLetterId.TOPICS));
            }
            return deadLetters.redriveAll(known(topic), force, principal.getName());
        }
        return deadLetters.redrive(ids, force, principal.getName());
    }

    private static String known(String topic) {
        if (!DeadLetterId.TOPICS.contains(topic)) {
            throw ApiProblem.invalidField(
                    "topic", "must be " + ALL + " or one of " + String.join(", ", DeadLetterId.TOPICS));
        }
        return topic;
    }

    /**
     * The body of {@code POST /dead-letters/redrive}: either {@code ids}, or {@code all} with {@code topic}.
     *
     * @param ids   dead-letter ids ({@code <topic>-<partition>-<offset>}), at most 500
     * @param all   re-drive every dead letter of {@code topic}
     * @param topic with {@code all}: {@code comments.submitted.v1-dlt} or {@code comments.moderated.v1-dlt}
     * @param force re-drive even those re-driven before
     */
    record RedriveRequest(
            @Nullable @Size(max = 500) List<String> ids,
            @Nullable Boolean all,
            @Nullable String topic,
            @Nullable Boolean force) {}
}
