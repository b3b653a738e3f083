package dev.talkback.comments.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.CommentIds;
import dev.talkback.comments.KafkaTopics;
import dev.talkback.comments.LimitedBackendTest;
import dev.talkback.comments.StatusTokens;
import dev.talkback.comments.published.PublishedComments;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentModerated.Outcome;
import dev.talkback.events.Topics;
import dev.talkback.testsupport.HostileInputs;
import dev.talkback.testsupport.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * Random and hostile requests at the two endpoints a reader reaches about someone else's or their own decided comment:
 * {@code POST /api/comments/{id}/reports} and {@code POST /api/comments/{id}/appeal?token=}. Never a 5xx, every refusal
 * a problem detail, exactly one record on {@code comments.reported.v1} per accepted report and none for a refusal, and
 * at most one accepted appeal per comment. Each request comes from an address of its own (the context trusts
 * {@code X-Forwarded-For}), so the storm reaches the application instead of the per-address bucket.
 *
 * <p>Replay a failing run with {@code -Dfuzz.seed=<seed>}; {@code -Dfuzz.reports} changes the number of requests.
 */
@LimitedBackendTest
class ReportAndAppealFuzzTests {

    private static final int REQUESTS = Integer.getInteger("fuzz.reports", 1200);
    private static final Set<Integer> STATUSES = Set.of(202, 400, 404, 405, 409, 413, 414, 415, 422, 431);
    private static final List<String> REASONS =
            List.of("spam", "abuse", "off-topic", "personal-information", "illegal-content", "other");
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    KafkaTemplate<String, Object> kafka;

    @Autowired
    PublishedComments readModel;

    @Autowired
    StatusTokens tokens;

    @Test
    void hostileReportsAndAppealsNeverBreakTheServiceAndOnlyAcceptedOnesArePublished() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        HostileInputs in = new HostileInputs(new Random(seed));
        CommentIds ids = new CommentIds();
        String published = ids.next();
        String rejected = ids.next();
        decide(published, Outcome.APPROVED, null);
        decide(
                rejected,
                Outcome.REJECTED,
                new CommentModerated.Statement(
                        CommentModerated.Statement.Facts.AUTOMATED_CHECK,
                        true,
                        true,
                        CommentModerated.Statement.Ground.TERMS,
                        "Comment rules, 1",
                        "Too many links.",
                        "Write to us."));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> readModel.articleOfPublished(published).block() != null
                        && readModel.rejection(rejected).block() != null);
        KafkaTopics topics = new KafkaTopics(broker.getBrokersAsString());
        RawHttp http = new RawHttp(port);

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int acceptedReports = 0;
        int acceptedAppeals = 0;
        for (int i = 0; i < REQUESTS; i++) {
            boolean appeal = in.chance(0.3);
            String kind;
            byte[] target;
            if (appeal) {
                String token = in.chance(0.6) ? tokens.tokenFor(rejected) : FuzzAnswers.encode(in.string());
                String id = in.chance(0.8) ? rejected : FuzzAnswers.encode(in.string());
                kind = "appeal";
                target = ("/api/comments/" + id + "/appeal?token=" + token).getBytes(StandardCharsets.UTF_8);
            } else {
                String id = in.chance(0.8) ? published : in.chance(0.5) ? rejected : FuzzAnswers.encode(in.string());
                kind = "report";
                target = ("/api/comments/" + id + "/reports").getBytes(StandardCharsets.UTF_8);
            }
            byte[] body = appeal ? appealBody(in) : reportBody(in);
            Map<String, byte[]> headers = new LinkedHashMap<>();
            headers.put("X-Forwarded-For", newAddress().getBytes(StandardCharsets.US_ASCII));
            if (in.chance(0.9)) {
                headers.put(
                        "Content-Type",
                        in.pick(
                                        "application/json",
                                        "application/json",
                                        "text/plain",
                                        "application/json; charset=UTF-16")
                                .getBytes(StandardCharsets.US_ASCII));
            }
            headers.put("Content-Length", Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
            RawHttp.Response response = http.exchange("POST", target, headers, body);
            statuses.merge(response.status(), 1, Integer::sum);
            boolean byServer = FuzzAnswers.brokenHttp(kind, target) && FuzzAnswers.serverLevelRefusal(response);
            String problem = byServer ? null : FuzzAnswers.problemWith(response, STATUSES, 202);
            if (problem == null && response.status() == 202) {
                if (appeal) {
                    acceptedAppeals++;
                } else {
                    acceptedReports++;
                }
            }
            if (problem != null && failures.size() < 20) {
                failures.add("#" + i + " " + problem + "\n    " + kind + " "
                        + FuzzAnswers.abbreviate(new String(target, StandardCharsets.ISO_8859_1)) + " body="
                        + FuzzAnswers.abbreviate(new String(body, StandardCharsets.UTF_8)));
            }
        }
        System.out.printf(
                "Report and appeal fuzz: seed %d, %d POSTs, statuses %s, %d reports and %d appeals accepted%n",
                seed, REQUESTS, statuses, acceptedReports, acceptedAppeals);

        assertThat(failures)
                .as("failures of seed %d (replay with -Dfuzz.seed=%d)", seed, seed)
                .isEmpty();
        assertThat(acceptedAppeals).as("appeals accepted for one comment").isLessThanOrEqualTo(1);
        // a 202 is sent only after the broker acknowledged the write
        assertThat(count(topics, Topics.COMMENTS_REPORTED, published, rejected)).isEqualTo(acceptedReports);
        assertThat(count(topics, Topics.COMMENTS_APPEALED, published, rejected)).isEqualTo(acceptedAppeals);
        assertThat(statuses).as("the generators reach both sides").containsKeys(202, 404, 422);
    }

    private static long count(KafkaTopics topics, String topic, String... keys) {
        Set<String> wanted = Set.of(keys);
        return topics.records(topic).stream()
                .map(ConsumerRecord::key)
                .filter(wanted::contains)
                .count();
    }

    private static byte[] reportBody(HostileInputs in) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("reason", in.pick(REASONS));
        if (in.chance(0.5)) {
            report.put("note", in.chance(0.8) ? in.unicode(in.between(0, 1_200)) : in.value(2));
        }
        if ("illegal-content".equals(report.get("reason")) || in.chance(0.1)) {
            report.put("explanation", in.chance(0.8) ? in.unicode(in.between(0, 3_000)) : in.value(2));
            report.put("name", in.pick("Ada Reader", "", "n".repeat(101), "<b>x</b>"));
            report.put("email", in.pick("ada@example.org", "not an address", "", "a@b"));
            report.put("goodFaith", in.pick(List.<Object>of(true, false, "yes", 1)));
        }
        return mutated(in, report);
    }

    private static byte[] appealBody(HostileInputs in) {
        Map<String, Object> appeal = new LinkedHashMap<>();
        if (in.chance(0.7)) {
            appeal.put("explanation", in.chance(0.8) ? in.unicode(in.between(0, 1_100)) : in.value(2));
        }
        return in.chance(0.1) ? new byte[0] : mutated(in, appeal);
    }

    /** The body as JSON, or broken in one of the ways parsers disagree on. */
    private static byte[] mutated(HostileInputs in, Map<String, Object> body) {
        String json = HostileInputs.json(body);
        return switch (in.random().nextInt(10)) {
            case 0 -> in.withInvalidUtf8(json);
            case 1 -> json.substring(0, in.random().nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
            case 2 -> in.deeplyNested(in.pick(List.of(64, 1_000, 10_000))).getBytes(StandardCharsets.UTF_8);
            case 3 -> HostileInputs.json(in.value(4)).getBytes(StandardCharsets.UTF_8);
            case 4 ->
                (json.substring(0, json.length() - 1) + ",\"x\":\"" + "x".repeat(70_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            default -> json.getBytes(StandardCharsets.UTF_8);
        };
    }

    private void decide(String id, Outcome outcome, CommentModerated.Statement statement) {
        Instant at = Instant.now();
        kafka.send(
                        Topics.COMMENTS_MODERATED,
                        id,
                        new CommentModerated(
                                UUID.randomUUID(),
                                at,
                                id,
                                "fuzz-article",
                                1,
                                outcome,
                                false,
                                List.of(),
                                null,
                                new CommentModerated.PublicComment(null, "Ada", null, "A comment.", at),
                                new CommentModerated.AuthorContact("ada@example.org", false),
                                statement))
                .join();
    }

    /** An address of its own for each request (100.64.0.0/10, which no other test of the context uses). */
    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "100." + (64 + (n >> 16 & 63)) + "." + (n >> 8 & 255) + "." + (n & 255);
    }
}
