package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import dev.talkback.moderation.EmbeddedServiceTests;
import dev.talkback.moderation.Tokens;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.testsupport.HostileInputs;
import dev.talkback.testsupport.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Thousands of random and hostile requests with a valid ADMIN token at the decision, bulk, claim, ban and settings
 * endpoints, from one seeded {@link Random}: never a 5xx, every refusal a problem detail, and afterwards every
 * comment still has a consistent decision (history length equal to the revision, each revision published once at
 * least), the bans and settings read back through the API are valid, and the service is ready.
 *
 * <p>Replay with {@code -Dfuzz.seed=<seed>}; {@code -Dfuzz.requests} changes the number of requests. The bans and
 * settings collections are put back as they were afterwards, so that the other tests sharing this context are not
 * moderated by random rules. (jqwik asks automated agents not to use it, so these are plain seeded generators.)
 */
class ModeratorApiFuzzTests extends EmbeddedServiceTests {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 2000);
    private static final Set<Integer> ALLOWED = Set.of(200, 201, 204, 400, 404, 405, 409, 413, 414, 415, 422, 431);
    private static final String ARTICLE = "fuzz-moderation";
    private static final String[] BAN_TYPES = {"EMAIL", "DOMAIN", "IP", "CIDR"};

    @Autowired
    AutomaticModeration automatic;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    ActiveRules rules;

    /** This context's broker. */
    @Autowired
    EmbeddedKafkaBroker broker;

    @LocalServerPort
    int port;

    private List<Document> bansBefore;
    private List<Document> settingsBefore;

    @BeforeEach
    void keepRules() {
        bansBefore = mongo.findAll(Document.class, "bans").collectList().block(WAIT);
        settingsBefore = mongo.findAll(Document.class, "settings").collectList().block(WAIT);
    }

    @AfterEach
    void restoreRules() {
        mongo.remove(new Query(), "bans").block(WAIT);
        mongo.remove(new Query(), "settings").block(WAIT);
        if (!bansBefore.isEmpty()) {
            mongo.insert(bansBefore, "bans").collectList().block(WAIT);
        }
        if (!settingsBefore.isEmpty()) {
            mongo.insert(settingsBefore, "settings").collectList().block(WAIT);
        }
        rules.refresh().block(WAIT);
    }

    @Test
    void hostileModeratorRequestsNeverBreakTheServiceNorLeaveHalfWrittenState() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        HostileInputs in = new HostileInputs(new Random(seed));
        RawHttp http = new RawHttp(port);
        byte[] bearer = ("Bearer " + Tokens.admin("fuzzer")).getBytes(StandardCharsets.US_ASCII);

        List<String> comments = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            comments.add(submit(i, in).commentId());
        }
        List<String> banIds = new ArrayList<>();
        Set<String> articles = new LinkedHashSet<>();

        Map<String, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int serverRefusals = 0;
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            Request request = nextRequest(in, comments, banIds, articles);
            Map<String, byte[]> headers = new LinkedHashMap<>();
            headers.put("Authorization", bearer);
            headers.putAll(request.headers());
            RawHttp.Response response = http.exchange(
                    request.method(), request.target().getBytes(StandardCharsets.ISO_8859_1), headers, request.body());
            statuses.merge(request.endpoint() + " " + response.status(), 1, Integer::sum);
            boolean byServer =
                    (request.brokenHttp() || !validUri(request.target()) || firewallRejects(request.target()))
                            && Set.of(400, 414, 431).contains(response.status())
                            && response.body().length == 0
                            && response.header("content-type") == null;
            serverRefusals += byServer ? 1 : 0;
            String problem = byServer ? null : problemWith(response);
            if (problem == null
                    && response.status() == 201
                    && request.endpoint().equals("ban")) {
                banIds.add(JSON.readTree(response.body()).path("ban").path("id").stringValue());
            }
            if (problem != null && failures.size() < 20) {
                failures.add("#" + i + " " + problem + "\n    request: " + request.method() + " "
                        + abbreviate(request.target())
                        + " " + request.headers().keySet() + " body(" + request.body().length + " bytes)="
                        + abbreviate(new String(request.body(), StandardCharsets.UTF_8)));
            }
        }
        System.out.printf(
                "Moderator API fuzz: seed %d, %d requests in %.1f s, %d refused by the HTTP server or the security firewall, statuses %s%n",
                seed, REQUESTS, (System.nanoTime() - started) / 1e9, serverRefusals, statuses);
        assertThat(failures)
                .as("failures of seed %d (replay with -Dfuzz.seed=%d)", seed, seed)
                .isEmpty();

        // no half-written decision: each stored decision is at the end of its history, and each was published
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(mongo.find(
                                        Query.query(org.springframework.data.mongodb.core.query.Criteria.where("_id")
                                                .in(comments)
                                                .and("publishPending")
                                                .ne(null)),
                                        ModeratedComment.class)
                                .collectList()
                                .block(WAIT))
                        .as("decisions still waiting to be published")
                        .isEmpty());
        Map<String, Set<Integer>> expected = new HashMap<>();
        int humanDecisions = 0;
        for (String id : comments) {
            RawHttp.Response response = get(http, bearer, "/api/moderation/comments/" + id);
            assertThat(response.status()).isEqualTo(200);
            JsonNode comment = JSON.readTree(response.body());
            int revision = comment.path("decision").path("revision").asInt();
            JsonNode history = comment.path("history");
            assertThat(history.size()).as("history of %s", id).isEqualTo(revision);
            Set<Integer> revisions = new TreeSet<>();
            for (int r = 0; r < revision; r++) {
                assertThat(history.get(r).path("revision").asInt())
                        .as("history of %s", id)
                        .isEqualTo(r + 1);
                assertThat(history.get(r).path("outcome").stringValue()).isIn("APPROVED", "REJECTED", "HELD");
                revisions.add(r + 1);
            }
            assertThat(history.get(revision - 1).path("eventId"))
                    .isEqualTo(comment.path("decision").path("eventId"));
            expected.put(id, revisions);
            humanDecisions += revision - 1;
        }
        assertThat(publishedRevisions(expected))
                .as("revisions published on %s", Topics.COMMENTS_MODERATED)
                .isEqualTo(expected);
        System.out.printf(
                "Moderator API fuzz: %d human decisions on %d comments, all stored and published once per revision%n",
                humanDecisions, comments.size());

        // what was stored through the API reads back through the API as valid documents
        RawHttp.Response bans = get(http, bearer, "/api/moderation/bans");
        assertThat(bans.status()).isEqualTo(200);
        for (JsonNode ban : JSON.readTree(bans.body()).path("items")) {
            assertThat(ban.path("type").stringValue()).isIn((Object[]) BAN_TYPES);
            assertThat(ban.path("value").stringValue()).isNotBlank().hasSizeLessThanOrEqualTo(254);
            assertThat(ban.path("reason").stringValue()).isNotBlank().hasSizeLessThanOrEqualTo(500);
        }
        articles.add(null);
        for (String article : articles) {
            String path =
                    article == null ? "/api/moderation/settings" : "/api/moderation/articles/" + article + "/settings";
            RawHttp.Response settings = get(http, bearer, path);
            assertThat(settings.status()).as(path).isEqualTo(200);
            ObjectNode stored = (ObjectNode) JSON.readTree(settings.body());
            stored.remove(List.of("id", "updatedAt", "updatedBy"));
            byte[] again = JSON.writeValueAsBytes(stored);
            RawHttp.Response put = http.exchange(
                    "PUT",
                    path.getBytes(StandardCharsets.US_ASCII),
                    Map.of(
                            "Authorization",
                            bearer,
                            "Content-Type",
                            "application/json".getBytes(StandardCharsets.US_ASCII),
                            "Content-Length",
                            Integer.toString(again.length).getBytes(StandardCharsets.US_ASCII)),
                    again);
            assertThat(put.status())
                    .as("stored settings %s accepted again: %s", stored, put.bodyText())
                    .isEqualTo(200);
        }

        RawHttp.Response readiness = get(new RawHttp(managementPort), bearer, "/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(JSON.readTree(readiness.body()).path("status").stringValue()).isEqualTo("UP");
    }

    /** Found by the storm above; each was a 500. */
    @Test
    void parametersTheStoreCannotTakeAreUnprocessable() throws Exception {
        RawHttp http = new RawHttp(port);
        byte[] bearer = ("Bearer " + Tokens.admin("fuzzer")).getBytes(StandardCharsets.US_ASCII);
        // method validation of a query or path parameter
        assertProblem(get(http, bearer, "/api/moderation/audit?limit=0"), 422, "limit");
        assertProblem(get(http, bearer, "/api/moderation/audit?limit=9999"), 422, "limit");
        assertProblem(get(http, bearer, "/api/moderation/articles/%E2%98%83/settings"), 422, "articleId");
        // a NUL cannot be part of the MongoDB regex the email filter becomes
        assertProblem(get(http, bearer, "/api/moderation/comments?status=ALL&email=a%00b"), 422, "email");
        // MongoDB cannot store an instant after the year 292278994 (epoch milliseconds)
        byte[] ban =
                "{\"type\":\"IP\",\"value\":\"198.51.100.200\",\"reason\":\"far\",\"expiresAt\":\"+999999999-12-31T23:59:59.999999999Z\"}"
                        .getBytes(StandardCharsets.US_ASCII);
        assertProblem(
                http.exchange(
                        "POST",
                        "/api/moderation/bans".getBytes(StandardCharsets.US_ASCII),
                        Map.of(
                                "Authorization",
                                bearer,
                                "Content-Type",
                                "application/json".getBytes(StandardCharsets.US_ASCII),
                                "Content-Length",
                                Integer.toString(ban.length).getBytes(StandardCharsets.US_ASCII)),
                        ban),
                422,
                "expiresAt");
    }

    private static void assertProblem(RawHttp.Response response, int status, String field) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("errors").findValuesAsString("field"))
                .contains(field);
    }

    private static RawHttp.Response get(RawHttp http, byte[] bearer, String path) throws Exception {
        return http.exchange(
                "GET", path.getBytes(StandardCharsets.US_ASCII), Map.of("Authorization", bearer), new byte[0]);
    }

    private dev.talkback.events.CommentModerated submit(int i, HostileInputs in) {
        String text = switch (i % 3) {
            case 0 -> "Fuzz comment " + i + " " + UUID.randomUUID();
            case 1 -> "Fuzz " + i + " https://a.example/1 https://b.example/2 https://c.example/3 " + UUID.randomUUID();
            default -> "casino " + i;
        };
        var submitted = new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "fuzz-" + UUID.randomUUID(),
                ARTICLE,
                null,
                new CommentSubmitted.Author("Fuzz Reader", "fuzz" + (i % 5) + "@example.org", null, false),
                text,
                "198.51.100." + (i % 8),
                "fuzz/1");
        return automatic.moderate(submitted);
    }

    /**
     * The revisions published on {@code comments.moderated.v1} for the given comments, read from the beginning until
     * all the expected ones arrived or {@link #WAIT} passed (then the caller's comparison shows what is missing).
     */
    private Map<String, Set<Integer>> publishedRevisions(Map<String, Set<Integer>> expected) {
        Map<String, Set<Integer>> revisions = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.getBrokersAsString(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.COMMENTS_MODERATED, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!revisions.equals(expected) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (expected.containsKey(record.key())) {
                        revisions
                                .computeIfAbsent(record.key(), k -> new TreeSet<>())
                                .add(JSON.readTree(record.value())
                                        .path("revision")
                                        .asInt());
                    }
                });
            }
        }
        return revisions;
    }

    /**
     * Whether Spring Security's {@code StrictServerWebExchangeFirewall} refuses the path (an empty 400 before any
     * controller): encoded slashes, backslashes, percent signs or NUL, "." or ".." segments, semicolons, control
     * characters once decoded.
     */
    private static boolean firewallRejects(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("%2f")
                || lower.contains("%5c")
                || lower.contains("%25")
                || lower.contains("%00")
                || lower.contains("%2e")
                || lower.contains(";")
                || lower.contains("/../")
                || lower.contains("/./")
                || lower.endsWith("/..")
                || lower.contains("%3b")
                || java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8)
                        .chars()
                        .anyMatch(c -> c < 0x20 || c == 0x7F || c >= 0x80 && c < 0xA0);
    }

    /** Whether reactor-netty can take the target at all (request line under 4096 bytes, a valid URI). */
    private static boolean validUri(String target) {
        if (target.length() > 4_000 || !target.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            return false;
        }
        try {
            new java.net.URI("http://localhost" + target);
            return true;
        } catch (java.net.URISyntaxException ex) {
            return false;
        }
    }

    /** Why the answer is wrong, or null. */
    private static String problemWith(RawHttp.Response response) {
        int status = response.status();
        if (status == 0 || status >= 500 || !ALLOWED.contains(status)) {
            return "status " + status + ": " + abbreviate(response.bodyText());
        }
        if (status < 300) {
            return null;
        }
        String contentType = String.valueOf(response.header("content-type"));
        if (!contentType.startsWith("application/problem+json")) {
            return "status " + status + " without a problem detail (" + contentType + "): "
                    + abbreviate(response.bodyText());
        }
        if (JSON.readTree(response.body()).path("status").asInt() != status) {
            return "problem detail with another status on a " + status + ": " + abbreviate(response.bodyText());
        }
        return null;
    }

    // ---- generators --------------------------------------------------------------------------------------------

    record Request(
            String endpoint,
            String method,
            String target,
            Map<String, byte[]> headers,
            byte[] body,
            boolean brokenHttp) {}

    private static Request nextRequest(
            HostileInputs in, List<String> comments, List<String> banIds, Set<String> articles) {
        int kind = in.random().nextInt(100);
        if (kind < 30) {
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("action", action(in));
            if (in.chance(0.7)) {
                decision.put("reason", reason(in));
            }
            if (in.chance(0.2)) {
                decision.put(
                        "category",
                        in.chance(0.8) ? in.pick("insult", "identity", "threat", "obscene", "spam") : in.value(1));
            }
            if (in.chance(0.4)) {
                decision.put(
                        "expectedRevision",
                        in.pick(List.<Object>of(
                                1,
                                2,
                                3,
                                0,
                                -1,
                                Integer.MAX_VALUE,
                                "1",
                                1.5,
                                List.of(1),
                                new HostileInputs.Raw("1e999"))));
            }
            return json(
                    in,
                    "decision",
                    "POST",
                    "/api/moderation/comments/" + commentId(in, comments) + "/decision",
                    decision);
        }
        if (kind < 45) {
            Map<String, Object> bulk = new LinkedHashMap<>();
            List<Object> ids = new ArrayList<>();
            for (int n = in.pick(List.of(0, 1, 3, 10, 100, 101, 150)); n > 0; n--) {
                ids.add(in.chance(0.9) ? commentIdValue(in, comments) : in.value(1));
            }
            bulk.put("ids", in.chance(0.9) ? ids : in.value(2));
            bulk.put("action", action(in));
            if (in.chance(0.5)) {
                bulk.put("reason", reason(in));
            }
            return json(in, "bulk", "POST", "/api/moderation/comments/decisions", bulk);
        }
        if (kind < 55) {
            String method = in.random().nextBoolean() ? "POST" : "DELETE";
            return new Request(
                    "claim",
                    method,
                    "/api/moderation/comments/" + commentId(in, comments) + "/claim",
                    Map.of(),
                    new byte[0],
                    false);
        }
        if (kind < 70) {
            Map<String, Object> ban = new LinkedHashMap<>();
            ban.put("type", in.chance(0.85) ? in.pick(BAN_TYPES) : in.value(1));
            ban.put("value", banValue(in));
            ban.put("reason", in.chance(0.8) ? "fuzz " + in.ascii(in.between(0, 20)) : in.value(1));
            if (in.chance(0.4)) {
                ban.put(
                        "expiresAt",
                        in.pick(List.<Object>of(
                                "2999-01-01T00:00:00Z",
                                "2000-01-01T00:00:00Z",
                                "tomorrow",
                                12345,
                                "+999999999-12-31T23:59:59.999999999Z",
                                "2026-13-45T99:99:99Z",
                                "")));
            }
            if (in.chance(0.4)) {
                ban.put("rejectExisting", in.pick(List.<Object>of(true, false, "yes", 1)));
            }
            return json(in, "ban", "POST", "/api/moderation/bans", ban);
        }
        if (kind < 75) {
            String id = !banIds.isEmpty() && in.chance(0.6) ? in.pick(banIds) : hostileId(in);
            return new Request("unban", "DELETE", "/api/moderation/bans/" + id, Map.of(), new byte[0], false);
        }
        if (kind < 90) {
            String target;
            if (in.chance(0.4)) {
                target = "/api/moderation/settings";
            } else {
                String article =
                        in.chance(0.8) ? in.pick("fuzz-a", "fuzz-b", "fuzz-c." + in.between(1, 5)) : hostileId(in);
                if (article.startsWith("fuzz-")) {
                    articles.add(article);
                }
                target = "/api/moderation/articles/" + article + "/settings";
            }
            return json(in, "settings", "PUT", target, settings(in));
        }
        String query = "status=" + in.pick("HELD", "ALL", "APPROVED", "nope", "") + "&limit="
                + in.pick("0", "1", "100", "101", "x", "-5")
                + (in.chance(0.5) ? "&cursor=" + encode(in.string()) : "")
                + (in.chance(0.3) ? "&from=" + encode(in.string()) : "")
                + (in.chance(0.3) ? "&email=" + encode(in.string()) : "")
                + (in.chance(0.3) ? "&ip=" + encode(in.string()) : "");
        String target = in.chance(0.7)
                ? "/api/moderation/comments?" + query
                : "/api/moderation/audit?limit=" + in.pick("0", "50", "9999", "x") + "&before=" + encode(in.string());
        return new Request("query", "GET", target, Map.of(), new byte[0], target.length() > 4_000);
    }

    /** A JSON request; often with a broken body, a wrong content type or a hostile header instead. */
    private static Request json(HostileInputs in, String endpoint, String method, String target, Object value) {
        String json = HostileInputs.json(value);
        byte[] body = switch (in.random().nextInt(20)) {
            case 0 -> HostileInputs.json(in.value(4)).getBytes(StandardCharsets.UTF_8);
            case 1 -> in.withInvalidUtf8(json);
            case 2 -> in.deeplyNested(in.pick(List.of(100, 1_000, 10_000))).getBytes(StandardCharsets.UTF_8);
            case 3 ->
                json.replaceFirst("\\{", "{\"deep\":" + in.deeplyNested(5_000) + ",")
                        .getBytes(StandardCharsets.UTF_8);
            case 4 -> json.substring(0, in.random().nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
            case 5 ->
                json.replaceFirst("\\{", "{\"action\":\"APPROVE\",\"action\":\"x\",\"type\":\"IP\",\"type\":1,")
                        .getBytes(StandardCharsets.UTF_8);
            case 6 ->
                in.pick("", "null", "[]", "\"\\uD800\"", "{\"reason\":\"\\uDC00\",\"action\":\"REJECT\"}", "\u0000")
                        .getBytes(StandardCharsets.UTF_8);
            default -> json.getBytes(StandardCharsets.UTF_8);
        };
        Map<String, byte[]> headers = new LinkedHashMap<>();
        String contentType = in.chance(0.9)
                ? "application/json"
                : in.pick(
                        null,
                        "text/plain",
                        "application/xml",
                        "application/json; charset=UTF-16",
                        ";;;",
                        "application/json; charset=\"",
                        "application/x-www-form-urlencoded",
                        "application/merge-patch+json",
                        "*/*");
        if (contentType != null) {
            headers.put("Content-Type", contentType.getBytes(StandardCharsets.ISO_8859_1));
        }
        headers.put("Content-Length", Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
        boolean brokenHttp = false;
        if (in.chance(0.05)) {
            brokenHttp = true;
            switch (in.random().nextInt(4)) {
                case 0 -> headers.put("X-Evil", new byte[] {'a', '\n', 'b', 0, (byte) 0xFF});
                case 1 ->
                    headers.put(
                            "X-Big", "b".repeat(in.pick(List.of(6_000, 20_000))).getBytes(StandardCharsets.US_ASCII));
                case 2 ->
                    headers.put(
                            "Content-Length",
                            in.pick("-1", "x", "99999999999999999999").getBytes(StandardCharsets.US_ASCII));
                default ->
                    headers.put("X-Forwarded-For", "1.2.3.4, ::::, <script>".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new Request(endpoint, method, target, headers, body, brokenHttp || target.length() > 4_000);
    }

    private static Object action(HostileInputs in) {
        return in.chance(0.75) ? in.pick("APPROVE", "REJECT", "SPAM", "HAM", "ABUSE", "NOT_ABUSE") : in.value(1);
    }

    private static Object reason(HostileInputs in) {
        return switch (in.random().nextInt(5)) {
            case 0 -> "r".repeat(in.pick(List.of(500, 501, 20_000)));
            case 1 -> "😀".repeat(in.pick(List.of(250, 500, 501)));
            case 2 -> in.value(2);
            default -> in.string().length() > 400 ? "short" : "fuzz reason";
        };
    }

    private static String commentId(HostileInputs in, List<String> comments) {
        int choice = in.random().nextInt(10);
        if (choice < 7) {
            return in.pick(comments);
        }
        return choice < 8 ? "fuzz-" + UUID.randomUUID() : hostileId(in);
    }

    private static Object commentIdValue(HostileInputs in, List<String> comments) {
        return in.chance(0.8)
                ? in.pick(comments)
                : in.pick("", " ", "x".repeat(101), "fuzz-" + UUID.randomUUID(), "{\"$ne\":1}");
    }

    private static String hostileId(HostileInputs in) {
        return in.pick(
                "..",
                "%2e%2e",
                "%00",
                "a%2Fb",
                "%E2%98%83",
                "x".repeat(300),
                "x".repeat(5_000),
                "%",
                "%zz",
                "a;b",
                encode(in.unicode(in.between(1, 20))),
                "-",
                "$where");
    }

    /** Ban values: only addresses, domains and networks no other test uses, or malformed ones. */
    private static Object banValue(HostileInputs in) {
        return switch (in.random().nextInt(6)) {
            case 0 -> in.pick("fuzz0@example.org", "fuzz1@example.org", "FUZZ2@Example.org", "x@fuzz-ban.example");
            case 1 -> in.pick("fuzz-ban.example", "sub.fuzz-ban.example", "FUZZ-BAN.example");
            case 2 -> in.pick("198.51.100.3", "198.51.100.4", "2001:db8::fuzz", "2001:db8::1");
            case 3 -> in.pick("198.51.100.0/29", "198.51.100.8/30", "2001:db8::/126");
            case 4 ->
                in.pick(
                        "10.0.0.0/33",
                        "300.1.1.1",
                        "1.2.3.4/-1",
                        "1.2.3/24",
                        "::::/64",
                        "198.51.100.0/abc",
                        "fe80::1%eth0",
                        "1.2.3.4 ",
                        "",
                        " ",
                        "-",
                        "..",
                        "a@",
                        "@b",
                        "no-at-sign",
                        "a b@example.org",
                        "x".repeat(255),
                        "0x7f.0.0.1",
                        "١٢٣.١.١.١",
                        "\u0000");
            default -> in.value(1);
        };
    }

    private static Map<String, Object> settings(HostileInputs in) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (in.chance(0.5)) {
            settings.put("mode", in.chance(0.8) ? in.pick("PRE", "POST") : in.value(1));
        }
        if (in.chance(0.4)) {
            settings.put("closed", in.chance(0.8) ? in.random().nextBoolean() : in.value(1));
        }
        if (in.chance(0.4)) {
            settings.put(
                    "thresholds",
                    in.chance(0.8)
                            ? Map.of(
                                    "hold",
                                    in.pick(List.<Object>of(0.5, 0.9, 1.0, 1.5, -0.1)),
                                    "reject",
                                    in.pick(List.<Object>of(0.4, 0.95, 1.0, 2)))
                            : in.value(2));
        }
        if (in.chance(0.4)) {
            settings.put("maxLinks", in.pick(List.<Object>of(0, 2, 1000, 1001, -1, "3", 2.5, Long.MAX_VALUE)));
        }
        for (String list : List.of("bannedWords", "suspectWords", "blockedLinkDomains", "shortenerDomains")) {
            if (in.chance(0.2)) {
                List<Object> words = new ArrayList<>();
                for (int n = in.pick(List.of(0, 1, 5, 500, 501)); n > 0; n--) {
                    words.add(
                            in.chance(0.9)
                                    ? "fuzzword" + n + (list.endsWith("Domains") ? ".example" : "")
                                    : in.value(0));
                }
                settings.put(list, in.chance(0.9) ? words : in.value(1));
            }
        }
        if (in.chance(0.2)) {
            settings.put("disposableEmail", in.pick("APPROVE", "HOLD", "REJECT", "MAYBE"));
        }
        if (in.chance(0.2)) {
            settings.put("dnsUnavailable", in.pick("APPROVE", "HOLD", "REJECT"));
        }
        if (in.chance(0.2)) {
            settings.put(
                    "floods",
                    in.chance(0.7)
                            ? Map.of(
                                    "windowMinutes",
                                    in.pick(List.of(0, 10, 1440, 1441)),
                                    "maxPerEmail",
                                    in.pick(List.of(1, 5, 10001)),
                                    "maxPerIp",
                                    in.pick(List.of(1, 20, 100001)))
                            : in.value(2));
        }
        if (in.chance(0.2)) {
            settings.put(
                    "duplicates",
                    in.chance(0.7)
                            ? Map.of(
                                    "windowHours",
                                    in.pick(List.of(0, 24, 721)),
                                    "maxDistanceBits",
                                    in.pick(List.of(0, 6, 8)))
                            : in.value(2));
        }
        if (in.chance(0.2)) {
            settings.put("trustedAfter", in.pick(List.<Object>of(0, 1, 3, 1000, 1001, "x")));
        }
        if (in.chance(0.2)) {
            settings.put("abuseHoldFrom", in.pick(List.<Object>of(0, 0.5, 0.9, 1.0, 1.5, -0.1, "x")));
        }
        if (in.chance(0.2)) {
            settings.put("abuseRejectFrom", in.pick(List.<Object>of(0.4, 0.95, 1.0, 2, "x")));
        }
        if (in.chance(0.1)) {
            settings.put(in.pick("id", "updatedBy", "$set", "_class"), in.value(1));
        }
        return settings;
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 'a' && b <= 'z'
                    || b >= 'A' && b <= 'Z'
                    || b >= '0' && b <= '9'
                    || b == '-'
                    || b == '.'
                    || b == '_') {
                out.append((char) b);
            } else {
                out.append(String.format("%%%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…(" + flat.length() + " chars)";
    }
}
