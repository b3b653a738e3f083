package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import dev.talkback.moderation.audit.AuditEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Human decisions, bulk decisions, claims and the queue, through the secured API on a real broker and store. */
class HumanDecisionTests extends EmbeddedServiceTests {

    private static final AtomicLong CLOCK =
            new AtomicLong(Instant.parse("2026-11-28T08:00:00Z").toEpochMilli());

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void aHumanDecisionIsStoredAsRevisionTwoAndPublishedAsHuman() {
        String article = article();
        var held =
                submit(article, "held@example.org", "See https://a.example/1 https://b.example/2 https://c.example/3");
        assertThat(held.outcome()).isEqualTo(CommentModerated.Outcome.HELD);

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "HAM", "reason", "Links are fine"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(held.commentId())
                .jsonPath("$.decision.revision")
                .isEqualTo(2)
                .jsonPath("$.decision.outcome")
                .isEqualTo("APPROVED")
                .jsonPath("$.decision.human")
                .isEqualTo(true)
                .jsonPath("$.decision.decidedBy")
                .isEqualTo("mia")
                .jsonPath("$.decision.reasons[0].ruleId")
                .isEqualTo("human.ham")
                .jsonPath("$.label")
                .isEqualTo("HAM")
                .jsonPath("$.history.length()")
                .isEqualTo(2);

        var events = moderatedEvents(held.commentId(), 2);
        assertThat(events).extracting(CommentModerated::revision).containsExactly(1, 2);
        var human = events.get(1);
        assertThat(human.human()).isTrue();
        assertThat(human.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        assertThat(human.contact().email()).isEqualTo("held@example.org");
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(stored(held.commentId()).publishPending()).isNull());

        var audit = mongo.find(Query.query(Criteria.where("target").is(held.commentId())), AuditEntry.class)
                .collectList()
                .block(WAIT);
        assertThat(audit).singleElement().satisfies(entry -> {
            assertThat(entry.who()).isEqualTo("mia");
            assertThat(entry.action()).isEqualTo("comment.decision");
            assertThat(entry.details()).containsEntry("action", "HAM").containsEntry("revision", 2);
        });
    }

    @Test
    void ofTwoModeratorsDecidingTheSameRevisionOneWinsAndTheOtherGetsTheWinningDecision() {
        var held = submit(article(), "race@example.org", "x https://a.example https://b.example https://c.example");

        List<EntityExchangeResult<String>> results = Flux.just("mia", "max")
                .parallel(2)
                .runOn(Schedulers.boundedElastic())
                .map(moderator -> as(Tokens.moderator(moderator))
                        .post()
                        .uri("/api/moderation/comments/{id}/decision", held.commentId())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                                Map.of("action", moderator.equals("mia") ? "APPROVE" : "REJECT", "expectedRevision", 1))
                        .exchange()
                        .expectBody(String.class)
                        .returnResult())
                .sequential()
                .collectList()
                .block(WAIT);

        assertThat(results).extracting(r -> r.getStatus().value()).containsExactlyInAnyOrder(200, 409);
        var lost = results.stream()
                .filter(r -> r.getStatus() == HttpStatus.CONFLICT)
                .findFirst()
                .orElseThrow();
        var winner = stored(held.commentId()).decision();
        assertThat(winner.revision()).isEqualTo(2);
        assertThat(lost.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(lost.getResponseBody())
                .contains("\"revision\":2")
                .contains("\"decidedBy\":\"" + winner.decidedBy() + "\"")
                .contains("\"outcome\":\"" + winner.outcome() + "\"");
        assertThat(stored(held.commentId()).history()).hasSize(2);
    }

    @Test
    void bulkAnswersForEveryIdAndDecidesTheKnownOnes() {
        String article = article();
        var first = submit(article, "bulk1@example.org", "one");
        var second = submit(article, "bulk2@example.org", "two");

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/decisions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "ids",
                        List.of(first.commentId(), "no-such-id", second.commentId()),
                        "action",
                        "SPAM",
                        "reason",
                        "bot wave"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.ok")
                .isEqualTo(2)
                .jsonPath("$.failed")
                .isEqualTo(1)
                .jsonPath("$.results[0].id")
                .isEqualTo(first.commentId())
                .jsonPath("$.results[0].result")
                .isEqualTo("OK")
                .jsonPath("$.results[0].decision.outcome")
                .isEqualTo("REJECTED")
                .jsonPath("$.results[1].id")
                .isEqualTo("no-such-id")
                .jsonPath("$.results[1].result")
                .isEqualTo("NOT_FOUND")
                .jsonPath("$.results[2].result")
                .isEqualTo("OK");

        assertThat(stored(first.commentId()).label()).isEqualTo("SPAM");
        assertThat(stored(second.commentId()).decision().outcome()).isEqualTo(CommentModerated.Outcome.REJECTED);
        assertThat(moderatedEvents(second.commentId(), 2).get(1).human()).isTrue();
    }

    @Test
    void pagesStayStableWhileNewCommentsArrive() {
        String article = article();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(article, "page" + i + "@example.org", unique() + " https://a.x https://b.x https://c.x")
                    .commentId());
        }

        var firstPage = page(article, null);
        assertThat(firstPage.items()).extracting(Item::id).containsExactlyElementsOf(ids.subList(0, 2));

        // meanwhile: two more arrive, and the first comment of the next page is decided
        ids.add(submit(article, "page5@example.org", unique() + " https://a.x https://b.x https://c.x")
                .commentId());
        ids.add(submit(article, "page6@example.org", unique() + " https://a.x https://b.x https://c.x")
                .commentId());
        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", ids.get(2))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "APPROVE"))
                .exchange()
                .expectStatus()
                .isOk();

        List<String> seen =
                new ArrayList<>(firstPage.items().stream().map(Item::id).toList());
        String next = firstPage.next();
        while (next != null) {
            var page = page(article, next);
            page.items().forEach(item -> seen.add(item.id()));
            next = page.next();
        }
        assertThat(seen).containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(4), ids.get(5), ids.get(6));
    }

    @Test
    void theQueueShowsTheAuthorTheDecisionTheHistoryAndWhoHoldsAClaim() {
        String article = article();
        submit(article, "history@example.org", "fine");
        submit(article, "history@example.org", "casino");
        var held = submit(article, "History@Example.org", unique() + " https://a.x https://b.x https://c.x");

        as(Tokens.moderator("mia"))
                .post()
                .uri("/api/moderation/comments/{id}/claim", held.commentId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.moderator")
                .isEqualTo("mia");
        as(Tokens.moderator("max"))
                .post()
                .uri("/api/moderation/comments/{id}/claim", held.commentId())
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.claim.moderator")
                .isEqualTo("mia");
        as(Tokens.moderator("max"))
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "APPROVE"))
                .exchange()
                .expectStatus()
                .isEqualTo(409);

        as(Tokens.moderator("max"))
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("articleId", article)
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(1)
                .jsonPath("$.items[0].id")
                .isEqualTo(held.commentId())
                .jsonPath("$.items[0].author.email")
                .isEqualTo("History@Example.org")
                .jsonPath("$.items[0].clientIp")
                .isEqualTo("203.0.113.9")
                .jsonPath("$.items[0].decision.reasons[0].ruleId")
                .isEqualTo("links.too-many")
                .jsonPath("$.items[0].authorHistory.approved")
                .isEqualTo(1)
                .jsonPath("$.items[0].authorHistory.rejected")
                .isEqualTo(1)
                .jsonPath("$.items[0].claim.moderator")
                .isEqualTo("mia")
                .jsonPath("$.next")
                .doesNotExist();

        as(Tokens.moderator("max"))
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("articleId", article)
                        .queryParam("status", "ALL")
                        .queryParam("reason", "words.banned")
                        .build())
                .exchange()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(1)
                .jsonPath("$.items[0].decision.outcome")
                .isEqualTo("REJECTED");
    }

    @Test
    void statsCountTheQueueItsOldestItemAndTheReasons() {
        submit(article(), "stats@example.org", unique() + " https://a.x https://b.x https://c.x");

        as(Tokens.admin("root"))
                .get()
                .uri("/api/moderation/stats")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.perStatus.HELD")
                .value(held -> assertThat(((Number) held).longValue()).isPositive())
                .jsonPath("$.queueSize")
                .value(size -> assertThat(((Number) size).longValue()).isPositive())
                .jsonPath("$.oldestHeldSubmittedAt")
                .isNotEmpty()
                .jsonPath("$.oldestHeldAgeSeconds")
                .value(age -> assertThat(((Number) age).longValue()).isPositive())
                .jsonPath("$.decisionsPerReason['links.too-many']")
                .value(count -> assertThat(((Number) count).longValue()).isPositive());
    }

    @Test
    void statsCountEachOfTheLastThirtyDaysByOutcome() {
        Instant now = Instant.now();
        var today = submitAt(now, article(), "today@example.org", unique() + " https://a.x https://b.x https://c.x");
        assertThat(today.outcome()).isEqualTo(CommentModerated.Outcome.HELD);

        var stats = as(Tokens.admin("root"))
                .get()
                .uri("/api/moderation/stats")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(StatsDays.class)
                .returnResult()
                .getResponseBody();

        assertThat(stats.perDay()).hasSize(30);
        LocalDate lastDay = stats.perDay().get(29).date();
        assertThat(lastDay).isEqualTo(LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC));
        for (int i = 0; i < 30; i++) {
            assertThat(stats.perDay().get(i).date()).isEqualTo(lastDay.minusDays(29 - i));
        }
        assertThat(stats.perDay().get(29).held()).isPositive();
    }

    record StatsDays(List<Day> perDay) {}

    record Day(LocalDate date, long held, long approved, long rejected) {}

    @Test
    void aDecisionIsUndoneByHoldingTheCommentAgainWithoutItsLabel() {
        var held = submit(article(), "undo@example.org", unique() + " https://a.x https://b.x https://c.x");
        var moderator = as(Tokens.moderator("mia"));
        moderator
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "SPAM"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.label")
                .isEqualTo("SPAM");

        moderator
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "HOLD", "expectedRevision", 2))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.decision.revision")
                .isEqualTo(3)
                .jsonPath("$.decision.outcome")
                .isEqualTo("HELD")
                .jsonPath("$.decision.reasons[0].ruleId")
                .isEqualTo("human.hold")
                .jsonPath("$.label")
                .doesNotExist();

        assertThat(stored(held.commentId()).label()).isNull();
        var events = moderatedEvents(held.commentId(), 3);
        assertThat(events.get(2).outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        assertThat(events.get(2).human()).isTrue();
    }

    @Test
    void theQueueSortsNewestFirstOrByScoreAndPagesThroughEveryItemOnce() {
        String article = article();
        List<String> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            oldestFirst.add(submit(
                            article,
                            "sort" + i + "@example.org",
                            unique()
                                    + (i % 2 == 0
                                            ? " buy cheap pills now https://a.x https://b.x https://c.x"
                                            : " the council's vote https://a.x https://b.x https://c.x"))
                    .commentId());
        }
        var moderator = as(Tokens.moderator("mia"));

        List<String> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        assertThat(page(moderator, article, "newest", 10, null).ids()).containsExactlyElementsOf(newestFirst);

        List<QueueEntry> bySpam = new ArrayList<>();
        String cursor = null;
        do {
            var page = page(moderator, article, "spam", 1, cursor);
            bySpam.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        assertThat(bySpam).extracting(QueueEntry::id).containsExactlyInAnyOrderElementsOf(oldestFirst);
        List<Double> scores = bySpam.stream()
                .map(entry -> entry.decision().scores().get("spam"))
                .toList();
        assertThat(scores).doesNotContainNull().isSortedAccordingTo(java.util.Comparator.reverseOrder());

        var abuse = page(moderator, article, "abuse", 10, null);
        List<Double> abuseScores = abuse.items().stream()
                .map(entry -> entry.decision().scores().get("abuse"))
                .toList();
        assertThat(abuseScores)
                .hasSize(4)
                .doesNotContainNull()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        String oldestCursor = page(moderator, article, "oldest", 1, null).next();
        moderator
                .get()
                .uri("/api/moderation/comments?articleId={a}&sort=spam&cursor={c}", article, oldestCursor)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("cursor");
        moderator
                .get()
                .uri("/api/moderation/comments?sort=loudest")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("sort");
    }

    private QueuePage page(
            org.springframework.test.web.reactive.server.WebTestClient client,
            String article,
            String sort,
            int limit,
            @org.jspecify.annotations.Nullable String cursor) {
        return client.get()
                .uri(builder -> {
                    builder.path("/api/moderation/comments")
                            .queryParam("status", "ALL")
                            .queryParam("articleId", article)
                            .queryParam("sort", sort)
                            .queryParam("limit", limit);
                    if (cursor != null) {
                        builder.queryParam("cursor", cursor);
                    }
                    return builder.build();
                })
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(QueuePage.class)
                .returnResult()
                .getResponseBody();
    }

    record QueuePage(
            List<QueueEntry> items,
            @org.jspecify.annotations.Nullable String next) {

        List<String> ids() {
            return items.stream().map(QueueEntry::id).toList();
        }
    }

    record QueueEntry(String id, Decision decision) {}

    record Decision(Map<String, Double> scores) {}

    @Test
    void moderatorsSeeHowManyCommentsEachTabHolds() {
        submit(article(), "counts@example.org", unique() + " https://a.x https://b.x https://c.x");

        var counts = as(Tokens.moderator("mia"))
                .get()
                .uri("/api/moderation/counts")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Long>>() {})
                .returnResult()
                .getResponseBody();

        assertThat(counts).containsOnlyKeys("HELD", "APPROVED", "REJECTED", "ALL", "REPORTED", "APPEALED");
        assertThat(counts.get("HELD")).isPositive();
        assertThat(counts.get("ALL")).isEqualTo(counts.get("HELD") + counts.get("APPROVED") + counts.get("REJECTED"));
    }

    @Test
    void theLiveQueueStreamsNewHeldCommentsClaimsAndDecisionsToSignedInModerators() {
        as(Tokens.withoutRole("reader"))
                .get()
                .uri("/api/moderation/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isForbidden();

        var stream = as(Tokens.moderator("max"))
                .get()
                .uri("/api/moderation/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(
                        new org.springframework.core.ParameterizedTypeReference<
                                org.springframework.http.codec.ServerSentEvent<Map<String, Object>>>() {})
                .getResponseBody();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        String[] id = new String[1];
        var subscription = stream.filter(event -> event.event() != null)
                .subscribe(event -> seen.add(event.event() + " " + event.data().get("id") + " "
                        + event.data().getOrDefault("outcome", event.data().get("moderator"))));
        try {
            // the stream is open once its first (comment) line has arrived; give the follower a moment to be at the end
            await().atMost(WAIT).pollDelay(java.time.Duration.ofSeconds(1)).until(() -> true);
            id[0] = submit(article(), "live@example.org", unique() + " https://a.x https://b.x https://c.x")
                    .commentId();
            var mia = as(Tokens.moderator("mia"));
            mia.post()
                    .uri("/api/moderation/comments/{id}/claim", id[0])
                    .exchange()
                    .expectStatus()
                    .isOk();
            mia.post()
                    .uri("/api/moderation/comments/{id}/decision", id[0])
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("action", "APPROVE"))
                    .exchange()
                    .expectStatus()
                    .isOk();

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(List.copyOf(seen))
                            .containsSubsequence(
                                    "decided " + id[0] + " HELD",
                                    "claimed " + id[0] + " mia",
                                    "decided " + id[0] + " APPROVED"));
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void badInputIsAProblemDetailNamingTheField() {
        var held = submit(article(), "bad@example.org", unique() + " https://a.x https://b.x https://c.x");
        var moderator = as(Tokens.moderator("mia"));

        moderator
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "PUBLISH"))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("action");
        moderator
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "REJECT", "reason", "x".repeat(501)))
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("reason");
        moderator
                .post()
                .uri("/api/moderation/comments/{id}/decision", held.commentId())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("action", "REJECT", "expectedRevision", "two"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("expectedRevision");
        moderator
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("cursor", "@@@")
                        .build())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("cursor");
        moderator
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("status", "SOMETIMES")
                        .build())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("status");
        assertThat(stored(held.commentId()).history()).hasSize(1);
    }

    @Test
    void theQueueFiltersByTimeAddressAndIp() {
        String article = article();
        var early = submit(article, "early@example.org", unique() + " https://a.x https://b.x https://c.x");
        var late = submit(article, "late@example.org", unique() + " https://a.x https://b.x https://c.x");
        Instant lateAt = stored(late.commentId()).submittedAt();

        var moderator = as(Tokens.moderator("mia"));
        moderator
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("articleId", article)
                        .queryParam("from", lateAt.toString())
                        .build())
                .exchange()
                .expectBody()
                .jsonPath("$.items[*].id")
                .isEqualTo(List.of(late.commentId()));
        moderator
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("articleId", article)
                        .queryParam("to", lateAt.toString())
                        .build())
                .exchange()
                .expectBody()
                .jsonPath("$.items[*].id")
                .isEqualTo(List.of(early.commentId()));
        moderator
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("articleId", article)
                        .queryParam("email", "EARLY@example.org")
                        .queryParam("ip", "203.0.113.9")
                        .build())
                .exchange()
                .expectBody()
                .jsonPath("$.items[*].id")
                .isEqualTo(List.of(early.commentId()));
        moderator
                .get()
                .uri(b -> b.path("/api/moderation/comments")
                        .queryParam("articleId", article)
                        .queryParam("ip", "192.0.2.1")
                        .build())
                .exchange()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(0);
    }

    @Test
    void aStoredDecisionLeftUnpublishedIsPublishedByTheRepublisher() {
        var held = submit(article(), "pending@example.org", unique() + " https://a.x https://b.x https://c.x");
        // as if the service had stored a human decision and then lost Kafka before publishing it
        var decision = new ModerationDecision(
                2,
                CommentModerated.Outcome.APPROVED,
                true,
                List.of(new ModerationDecision.Reason("human.approve", "ok")),
                null,
                "human",
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                UUID.randomUUID().toString(),
                "mia");
        mongo.updateFirst(
                        Query.query(Criteria.where("_id").is(held.commentId())),
                        new Update()
                                .set("decision", decision)
                                .push("history", decision)
                                .set("publishPending", Instant.now().minusSeconds(60)),
                        ModeratedComment.class)
                .block(WAIT);

        var events = moderatedEvents(held.commentId(), 2);

        assertThat(events.get(1).revision()).isEqualTo(2);
        assertThat(events.get(1).eventId().toString()).isEqualTo(decision.eventId());
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(stored(held.commentId()).publishPending()).isNull());
    }

    private Page page(String article, String cursor) {
        return as(Tokens.moderator("mia"))
                .get()
                .uri(b -> {
                    b.path("/api/moderation/comments")
                            .queryParam("articleId", article)
                            .queryParam("limit", 2);
                    if (cursor != null) {
                        b.queryParam("cursor", cursor);
                    }
                    return b.build();
                })
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Page.class)
                .returnResult()
                .getResponseBody();
    }

    record Page(List<Item> items, String next) {}

    record Item(String id) {}

    /**
     * Words no other comment has: the engine holds the same text from several authors (duplicate.across-authors) and
     * rejects an author's repeat, which these tests of the moderator API are not about.
     */
    private static String unique() {
        return "note " + UUID.randomUUID().toString().replace('-', ' ');
    }

    private CommentModerated submit(String article, String email, String text) {
        return submitAt(Instant.ofEpochMilli(CLOCK.addAndGet(1000)), article, email, text);
    }

    private CommentModerated submitAt(Instant at, String article, String email, String text) {
        var submitted = new CommentSubmitted(
                UUID.randomUUID(),
                at,
                "c-" + UUID.randomUUID(),
                article,
                null,
                new CommentSubmitted.Author("Ada Reader", email, null, false),
                text,
                "203.0.113.9",
                "curl/8");
        return automatic.moderate(submitted);
    }

    private ModeratedComment stored(String id) {
        return mongo.findById(id, ModeratedComment.class).block(WAIT);
    }

    private static String article() {
        return "article-" + UUID.randomUUID();
    }
}
