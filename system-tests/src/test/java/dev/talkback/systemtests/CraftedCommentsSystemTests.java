package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Comments crafted to make a text pipeline backtrack (the worst shapes of moderation-engine's AdversarialText, at the
 * intake's limit of 10,000 characters) do not stall moderation for everyone else: while 200 of them go in, each
 * ordinary comment sent meanwhile is decided within a second, and every crafted one is decided too, none lost.
 * Before the text pipeline was linear, one such comment took seconds of CPU in one regular-expression call and the
 * ordinary comments queued behind it.
 */
class CraftedCommentsSystemTests {

    private static final int CRAFTED = 200;
    private static final int TEXT_LIMIT = 10_000;
    /** Crafted comments sent per second: a steady stream, below what the pipeline decides when it is linear. */
    private static final long CRAFTED_EVERY_MILLIS = 200;

    private static final long ORDINARY_EVERY_MILLIS = 1_000;
    private static final Duration ORDINARY_DECIDED_WITHIN = Duration.ofSeconds(1);
    /** Units repeated to the limit: each made one of the replaced expressions super-linear (or overflow its stack). */
    private static final List<String> SHAPES =
            List.of("<a\thref=\"\"", "<a href=\"x\"", "<a href='", "a.", "<", "www.a", "&amp;#39;", "a [dot] ");

    private static RunningSystem system;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);

    @BeforeAll
    static void startTheSystem() {
        system = RunningSystem.get();
    }

    @AfterEach
    void stopSending() {
        senders.shutdownNow();
    }

    @Test
    void craftedCommentsDoNotDelayOrdinaryOnesAndAreAllDecided() throws Exception {
        String article = "article-" + UUID.randomUUID();
        // warm the path (and the services' compilers) with one comment of each shape before timing anything
        for (int i = 0; i < SHAPES.size(); i++) {
            awaitStored(post(article, crafted(SHAPES.get(i), -1 - i)).id(), Duration.ofSeconds(60));
        }

        List<String> craftedIds = new CopyOnWriteArrayList<>();
        Map<String, Duration> ordinaryDecidedAfter = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ordinarySent = new AtomicInteger();
        senders.scheduleAtFixedRate(
                () -> {
                    int n = sent.getAndIncrement();
                    if (n >= CRAFTED) {
                        return;
                    }
                    try {
                        craftedIds.add(post(article, crafted(SHAPES.get(n % SHAPES.size()), n))
                                .id());
                    } catch (Exception | AssertionError ex) {
                        failures.add(ex);
                    }
                },
                0,
                CRAFTED_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        senders.scheduleWithFixedDelay(
                () -> {
                    if (sent.get() >= CRAFTED) {
                        return;
                    }
                    try {
                        int n = ordinarySent.incrementAndGet();
                        long start = System.nanoTime();
                        URI status = post(
                                        article,
                                        Map.of(
                                                "name",
                                                "Reader " + n,
                                                "email",
                                                "reader" + n + "@example.org",
                                                "text",
                                                "Ordinary comment number " + n
                                                        + ": the council should publish the budget."))
                                .statusUrl();
                        awaitDecided(status, Duration.ofSeconds(30));
                        ordinaryDecidedAfter.put(status.toString(), Duration.ofNanos(System.nanoTime() - start));
                    } catch (Exception | AssertionError ex) {
                        failures.add(ex);
                    }
                },
                CRAFTED_EVERY_MILLIS,
                ORDINARY_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofMinutes(3))
                .until(() -> craftedIds.size() + failures.size() >= CRAFTED
                        && ordinaryDecidedAfter.size() + failures.size() >= ordinarySent.get());
        senders.shutdown();
        assertThat(senders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

        assertThat(failures).isEmpty();
        assertThat(ordinaryDecidedAfter).hasSizeGreaterThanOrEqualTo(10);
        assertThat(ordinaryDecidedAfter.values())
                .as("time from sending an ordinary comment to its decision")
                .allSatisfy(after -> assertThat(after).isLessThan(ORDINARY_DECIDED_WITHIN));
        // every crafted comment is decided (held, approved or rejected): none lost. Asked of the moderator API, since
        // the reader's status of a held comment stays PENDING
        assertThat(craftedIds).hasSize(CRAFTED);
        for (String id : craftedIds) {
            awaitStored(id, Duration.ofMinutes(2));
        }
    }

    private static Map<String, Object> crafted(String shape, int n) {
        StringBuilder text = new StringBuilder(TEXT_LIMIT);
        while (text.length() < TEXT_LIMIT) {
            text.append(shape);
        }
        text.setLength(TEXT_LIMIT);
        // an address each: the same address would be held for flooding, which is not what is tested
        return Map.of("name", "Crafted " + n, "email", "crafted" + n + "@example.org", "text", text.toString());
    }

    private record Accepted(String id, URI statusUrl) {}

    /** Posts a comment; returns its id and status URL. */
    private Accepted post(String article, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        system.commentService.resolve("/api/articles/" + article + "/comments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST answer: %s", response.body()).isEqualTo(202);
        JsonNode accepted = json.readTree(response.body());
        return new Accepted(
                accepted.get("id").asString(),
                URI.create(system.commentService + accepted.get("statusUrl").asString()));
    }

    /** Waits until moderation-service has stored the comment with its decision (which it does only once decided). */
    private void awaitStored(String id, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> http.send(
                                        HttpRequest.newBuilder(system.moderationService.resolve(
                                                        "/api/moderation/comments/" + id))
                                                .header(
                                                        "Authorization",
                                                        "Bearer "
                                                                + ModeratorDecisionSystemTests.token(
                                                                        "mia", "MODERATOR"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    private void awaitDecided(URI status, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !statusOf(status).equals("PENDING"));
    }

    private String statusOf(URI status) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s answer: %s", status, response.body())
                .isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        return body.get("status").asString();
    }
}
