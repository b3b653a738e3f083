package dev.talkback.comments.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.comments.EmbeddedBackendTest;
import dev.talkback.comments.KafkaTopics;
import dev.talkback.events.Topics;
import dev.talkback.testsupport.HostileInputs;
import dev.talkback.testsupport.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Thousands of random and hostile requests at the intake and the read side, from one seeded {@link Random}: never a
 * 5xx, every refusal a problem detail, exactly one record on {@code comments.submitted.v1} per 202 (and none for a
 * refusal), and the service still ready afterwards.
 *
 * <p>Replay a failing run with {@code -Dfuzz.seed=<seed printed by the failure>}; {@code -Dfuzz.posts} and
 * {@code -Dfuzz.gets} change the number of requests. (jqwik would shrink failures, but it asks automated agents
 * not to use it, so these are plain seeded generators.)
 */
@EmbeddedBackendTest
class CommentIntakeFuzzTests {

    private static final int POSTS = Integer.getInteger("fuzz.posts", 2500);
    private static final int GETS = Integer.getInteger("fuzz.gets", 1000);
    private static final Set<Integer> POST_STATUSES = Set.of(202, 400, 404, 405, 413, 414, 415, 422, 431);
    private static final Set<Integer> GET_STATUSES = Set.of(200, 400, 404, 405, 414, 422, 431);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** This context's broker (not the system property {@code spring.kafka.bootstrap-servers}, which the broker of
     * any later test context overwrites). */
    @Autowired
    EmbeddedKafkaBroker broker;

    /** One generated request; {@code mustBeAccepted} marks a good comment under harmless noise. */
    record Case(
            String kind,
            String method,
            byte[] target,
            Map<String, byte[]> headers,
            byte[] body,
            boolean mustBeAccepted) {

        String describe() {
            String bodyText = new String(body, StandardCharsets.UTF_8);
            return kind + " " + method + " " + FuzzAnswers.abbreviate(new String(target, StandardCharsets.ISO_8859_1))
                    + " headers=" + headers.keySet() + " body(" + body.length + " bytes)="
                    + FuzzAnswers.abbreviate(bodyText);
        }
    }

    @Test
    void hostilePostsNeverBreakTheIntakeAndOnlyAcceptedCommentsAreWritten() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        HostileInputs in = new HostileInputs(new Random(seed));
        RawHttp http = new RawHttp(port);
        KafkaTopics topics = new KafkaTopics(broker.getBrokersAsString());
        long recordsBefore = topics.recordCount(Topics.COMMENTS_SUBMITTED);

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Set<String> accepted = new HashSet<>();
        // a cold broker on a busy machine may not take the first write within the publish timeout (a designed 503):
        // the storm starts once a good comment is accepted, and that comment is counted like the others
        byte[] warmUp = json(Map.of("name", "Warm Up", "email", "warm@example.org", "text", "First."));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            RawHttp.Response response = http.exchange(
                    "POST",
                    "/api/articles/fuzz-article/comments".getBytes(StandardCharsets.US_ASCII),
                    Map.of(
                            "Content-Type",
                            "application/json".getBytes(StandardCharsets.US_ASCII),
                            "Content-Length",
                            Integer.toString(warmUp.length).getBytes(StandardCharsets.US_ASCII)),
                    warmUp);
            if (response.status() == 202) {
                accepted.add(JSON.readTree(response.body()).get("id").stringValue());
            }
            return response.status() == 202;
        });
        int serverRefusals = 0;
        long started = System.nanoTime();
        for (int i = 0; i < POSTS; i++) {
            Case request = nextPost(in);
            RawHttp.Response response =
                    http.exchange(request.method(), request.target(), request.headers(), request.body());
            statuses.merge(response.status(), 1, Integer::sum);
            boolean byServer = FuzzAnswers.brokenHttp(request.kind(), request.target())
                    && FuzzAnswers.serverLevelRefusal(response);
            serverRefusals += byServer ? 1 : 0;
            String problem = byServer ? null : FuzzAnswers.problemWith(response, POST_STATUSES, 202);
            if (problem == null && request.mustBeAccepted() && response.status() != 202) {
                problem = "a good comment was refused: " + response.status() + " "
                        + FuzzAnswers.abbreviate(response.bodyText());
            }
            if (problem == null && response.status() == 202) {
                accepted.add(JSON.readTree(response.body()).get("id").stringValue());
            }
            if (problem != null && failures.size() < 20) {
                failures.add("#" + i + " " + problem + "\n    request: " + request.describe());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "Intake fuzz: seed %d, %d POSTs in %.1f s, statuses %s, %d accepted, %d refused by the HTTP server"
                        + " before the application%n",
                seed, POSTS, seconds, statuses, accepted.size(), serverRefusals);

        assertThat(failures)
                .as("failures of seed %d (replay with -Dfuzz.seed=%d)", seed, seed)
                .isEmpty();
        // a 202 is sent only after the broker acknowledged the write, so every accepted record is on the topic now
        assertThat(topics.recordCount(Topics.COMMENTS_SUBMITTED) - recordsBefore)
                .as("records written during the run of seed %d", seed)
                .isEqualTo(accepted.size());
        List<ConsumerRecord<String, byte[]>> written = topics.records(Topics.COMMENTS_SUBMITTED).stream()
                .filter(r -> accepted.contains(r.key()))
                .toList();
        assertThat(written).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(accepted);
        for (ConsumerRecord<String, byte[]> record : written) {
            JsonNode event = JSON.readTree(record.value());
            assertThat(event.path("commentId").stringValue()).isEqualTo(record.key());
            assertThat(event.path("author").path("name").stringValue())
                    .as("name of %s", record.key())
                    .isNotBlank();
            assertThat(event.path("author").path("email").stringValue())
                    .as("email of %s", record.key())
                    .contains("@");
            assertThat(event.path("text").stringValue())
                    .as("text of %s", record.key())
                    .isNotBlank();
        }
        assertThat(statuses).as("the generators reach both sides").containsKeys(202, 400, 413, 415, 422);
        assertReady();
    }

    /** Found by the storm above: a Content-Type that does not parse was a 500. */
    @Test
    void unparsableContentTypeIsUnsupported() throws Exception {
        RawHttp http = new RawHttp(port);
        byte[] body = json(Map.of("name", "Ada", "email", "ada@example.org", "text", "Hi"));
        for (String type : List.of(";;;", "application/json; charset=\"", "application/json; boundary=\u00ff")) {
            RawHttp.Response response = http.exchange(
                    "POST",
                    "/api/articles/a/comments".getBytes(StandardCharsets.US_ASCII),
                    Map.of(
                            "Content-Type",
                            type.getBytes(StandardCharsets.ISO_8859_1),
                            "Content-Length",
                            Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII)),
                    body);
            assertThat(response.status()).as(type).isEqualTo(415);
            assertThat(response.header("content-type")).startsWith("application/problem+json");
        }
    }

    @Test
    void randomQueriesOnTheReadSideNeverBreakIt() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        HostileInputs in = new HostileInputs(new Random(seed));
        RawHttp http = new RawHttp(port);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int serverRefusals = 0;
        long started = System.nanoTime();
        for (int i = 0; i < GETS; i++) {
            String target = in.chance(0.6)
                    ? "/api/articles/" + articleId(in) + "/comments?" + query(in, "limit", "cursor")
                    : "/api/comments/"
                            + FuzzAnswers.encode(in.chance(0.5) ? in.ascii(26).replace('/', 'x') : in.string())
                            + "/status?" + query(in, "token");
            byte[] targetBytes = in.chance(0.05)
                    ? (target + in.unicode(3)).getBytes(StandardCharsets.UTF_8)
                    : target.getBytes(StandardCharsets.US_ASCII);
            RawHttp.Response response = http.exchange("GET", targetBytes, Map.of(), new byte[0]);
            statuses.merge(response.status(), 1, Integer::sum);
            boolean byServer = FuzzAnswers.brokenHttp("GET", targetBytes) && FuzzAnswers.serverLevelRefusal(response);
            serverRefusals += byServer ? 1 : 0;
            String problem = byServer ? null : FuzzAnswers.problemWith(response, GET_STATUSES, 200);
            if (problem != null && failures.size() < 20) {
                failures.add("#" + i + " " + problem + "\n    GET "
                        + FuzzAnswers.abbreviate(new String(targetBytes, StandardCharsets.ISO_8859_1)));
            }
        }
        System.out.printf(
                "Read-side fuzz: seed %d, %d GETs in %.1f s, statuses %s, %d refused by the HTTP server%n",
                seed, GETS, (System.nanoTime() - started) / 1e9, statuses, serverRefusals);
        assertThat(failures)
                .as("failures of seed %d (replay with -Dfuzz.seed=%d)", seed, seed)
                .isEmpty();
        assertReady();
    }

    private void assertReady() throws Exception {
        RawHttp.Response readiness = new RawHttp(managementPort)
                .exchange(
                        "GET", "/actuator/health/readiness".getBytes(StandardCharsets.US_ASCII), Map.of(), new byte[0]);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(JSON.readTree(readiness.body()).path("status").stringValue()).isEqualTo("UP");
    }

    // ---- generators --------------------------------------------------------------------------------------------

    private static Case nextPost(HostileInputs in) {
        int kind = in.random().nextInt(100);
        if (kind < 20) {
            return post("good comment", in, goodArticle(in), json(goodComment(in)), true);
        }
        if (kind < 45) {
            Map<String, Object> comment = goodComment(in);
            for (int n = in.between(1, 3); n > 0; n--) {
                mutate(in, comment);
            }
            return post("mutated comment", in, goodArticle(in), json(comment), false);
        }
        if (kind < 53) {
            return post("random JSON", in, goodArticle(in), json(in.value(4)), false);
        }
        if (kind < 61) {
            return post("broken tokens", in, goodArticle(in), brokenJson(in).getBytes(StandardCharsets.UTF_8), false);
        }
        if (kind < 68) {
            return post(
                    "invalid UTF-8",
                    in,
                    goodArticle(in),
                    in.withInvalidUtf8(HostileInputs.json(goodComment(in))),
                    false);
        }
        if (kind < 73) {
            int levels = in.pick(List.of(64, 600, 1_000, 10_000));
            String nested = in.deeplyNested(levels);
            String body = in.chance(0.5)
                    ? nested
                    : HostileInputs.json(goodComment(in)).replaceFirst("\\{", "{\"deep\":" + nested + ",");
            return post("nested " + levels, in, goodArticle(in), body.getBytes(StandardCharsets.UTF_8), false);
        }
        if (kind < 81) {
            Case good = post("content type", in, goodArticle(in), json(goodComment(in)), false);
            Map<String, byte[]> headers = new LinkedHashMap<>(good.headers());
            headers.remove("Content-Type");
            String type = in.pick(
                    null,
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "application/json; charset=ISO-8859-1",
                    "application/json; charset=UTF-16",
                    "application/json;charset=utf-8",
                    "application/vnd.talkback+json",
                    "application/problem+json",
                    "application/jsonx",
                    "json",
                    "*/*",
                    "application/*",
                    "application/json; charset=\"",
                    ";;;",
                    "application/json, text/plain",
                    "%%%/%%%",
                    "APPLICATION/JSON",
                    "application/json; boundary=\u00ff");
            if (type != null) {
                headers.put("Content-Type", type.getBytes(StandardCharsets.ISO_8859_1));
            }
            return new Case("content type " + type, "POST", good.target(), headers, good.body(), false);
        }
        if (kind < 89) {
            Case good = post("headers", in, goodArticle(in), json(goodComment(in)), false);
            Map<String, byte[]> headers = new LinkedHashMap<>(good.headers());
            String header = hostileHeader(in, headers);
            return new Case("hostile header " + header, "POST", good.target(), headers, good.body(), false);
        }
        if (kind < 94) {
            return post("article id", in, hostileArticle(in), json(goodComment(in)), false);
        }
        if (kind < 98) {
            return tooLarge(in);
        }
        Case good = post("method", in, goodArticle(in), json(goodComment(in)), false);
        return new Case("method", in.pick("PUT", "PATCH", "DELETE"), good.target(), good.headers(), good.body(), false);
    }

    private static Case post(String kind, HostileInputs in, String articleId, byte[] body, boolean mustBeAccepted) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json".getBytes(StandardCharsets.US_ASCII));
        headers.put("Content-Length", Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
        if (in.chance(0.3)) {
            headers.put(
                    "User-Agent",
                    in.unicode(in.between(1, 600))
                            .replaceAll("[\\x00-\\x1f\\x7f]", " ")
                            .getBytes(StandardCharsets.UTF_8));
        }
        return new Case(
                kind,
                "POST",
                ("/api/articles/" + articleId + "/comments").getBytes(StandardCharsets.UTF_8),
                headers,
                body,
                mustBeAccepted);
    }

    private static byte[] json(Object value) {
        return HostileInputs.json(value).getBytes(StandardCharsets.UTF_8);
    }

    /** A comment that passes every rule, with unusual but legal content. */
    private static Map<String, Object> goodComment(HostileInputs in) {
        Map<String, Object> comment = new LinkedHashMap<>();
        comment.put(
                "name",
                in.pick(
                        "Ada",
                        "Zoë Ærøskøbing",
                        "山田 太郎",
                        "O'Brien \"Bob\"",
                        "<b>Bold</b>",
                        "😀 Smiley",
                        "a".repeat(100),
                        "x".repeat(99) + "😀"));
        comment.put(
                "email",
                in.pick(
                        "ada@example.org",
                        "very.common+tag@example.com",
                        "o'brien@example.co.uk",
                        "user" + in.between(1, 99999) + "@example.net"));
        if (in.chance(0.4)) {
            comment.put(
                    "website",
                    in.pick(
                            "https://example.org",
                            "http://example.org/a?b=c#d",
                            "https://xn--bcher-kva.example/",
                            "https://example.org/" + "p".repeat(180),
                            "",
                            null));
        }
        String text = in.pick(List.of(
                "Nice article.",
                "<script>alert(1)</script>",
                "Line one\r\n\r\nLine two\u0000end",
                "😀".repeat(10_000),
                "t".repeat(10_000),
                "  padded  ",
                "é\u0301 \u202E reversed",
                "${jndi:ldap://x}"));
        if (in.chance(0.5)) {
            text = in.unicode(in.between(1, 2_000)).strip();
            if (text.isEmpty()) {
                text = "x";
            }
        }
        comment.put("text", text);
        if (in.chance(0.3)) {
            comment.put("notifyReplies", in.random().nextBoolean());
        }
        if (in.chance(0.2)) {
            comment.put(
                    in.pick("unknown", "_id", "$set", "__proto__", "status", "id"),
                    in.pick(List.<Object>of("x", 1, true, List.of(), Map.of("$gt", ""))));
        }
        return comment;
    }

    private static void mutate(HostileInputs in, Map<String, Object> comment) {
        String field = in.pick("name", "email", "website", "text", "parentId", "notifyReplies");
        switch (in.random().nextInt(6)) {
            case 0 -> comment.put(field, in.value(3));
            case 1 -> comment.put(field, in.string());
            case 2 -> comment.put(field, boundary(in, field));
            case 3 ->
                comment.put(
                        field,
                        new HostileInputs.Raw(
                                in.pick("\"\\uD800\"", "\"a\\uDC00b\"", "\"\\u0000\"", "\"x\\uD83D\\uDE00\\uD83D\"")));
            case 4 -> comment.remove(field);
            default -> comment.put(field, null);
        }
    }

    /** Lengths at and just over each limit (code points, so some in 4-byte characters). */
    private static String boundary(HostileInputs in, String field) {
        String unit = in.chance(0.5) ? "a" : "😀";
        return switch (field) {
            case "name" -> unit.repeat(in.pick(List.of(100, 101, 1_000)));
            case "email" -> "a".repeat(64) + "@" + "b".repeat(in.pick(List.of(185, 186, 250))) + ".org";
            case "website" -> "https://example.org/" + unit.repeat(in.pick(List.of(180, 181, 5_000)));
            case "text" -> unit.repeat(in.pick(List.of(10_000, 10_001, 16_000)));
            case "parentId" ->
                in.pick("01ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FA", "../../x", "0".repeat(5_000));
            default -> "true";
        };
    }

    /** Hand-written JSON that parsers disagree on, or that is not JSON at all. */
    private static String brokenJson(HostileInputs in) {
        String good = HostileInputs.json(goodComment(in));
        return switch (in.random().nextInt(8)) {
            case 0 -> good.replaceFirst("\\{", "{\"text\":\"first\",\"text\":\"second\",\"name\":1,");
            case 1 -> good.substring(0, in.random().nextInt(good.length()));
            case 2 -> good + in.pick("}", "{", ",", "garbage", "\u0000", "\n\n{\"a\":1}");
            case 3 -> "\uFEFF" + good;
            case 4 -> good.replace("\"", "'");
            case 5 ->
                in.pick("", " ", "null", "true", "42", "\"string\"", "[]", "{}", "\u0000", "{\"\u0000\":\"\u0000\"}");
            case 6 -> new String(in.randomBytes(in.between(1, 2_000)), StandardCharsets.ISO_8859_1);
            default ->
                good.replaceFirst(
                        "\\{",
                        "{"
                                + in.pick(
                                        "\"a\":NaN,",
                                        "\"a\":1e999999,",
                                        "\"a\":01,",
                                        "/*c*/",
                                        "\"a\":undefined,",
                                        "\"" + "k".repeat(60_000) + "\":1,"));
        };
    }

    /** Puts one hostile header into {@code headers}; returns its description. */
    private static String hostileHeader(HostileInputs in, Map<String, byte[]> headers) {
        switch (in.random().nextInt(8)) {
            case 0 ->
                headers.put(
                        "User-Agent",
                        "U".repeat(in.pick(List.of(513, 4_000, 7_000))).getBytes(StandardCharsets.US_ASCII));
            case 1 ->
                headers.put(
                        "X-Forwarded-For",
                        in.pick(
                                        "1.2.3.4, 5.6.7.8",
                                        "999.999.999.999",
                                        "::::::",
                                        "unknown",
                                        "1.2.3.4" + ", 10.0.0.1".repeat(500),
                                        "<script>",
                                        "127.0.0.1\u00ff",
                                        "[::1]:80",
                                        "0x7f.1",
                                        "")
                                .getBytes(StandardCharsets.ISO_8859_1));
            case 2 -> headers.put("X-Evil", ("a\r\nX-Injected: b").getBytes(StandardCharsets.US_ASCII));
            case 3 -> headers.put("X-Evil", ("a\nX-Injected: b").getBytes(StandardCharsets.US_ASCII));
            case 4 -> headers.put("X-Evil", new byte[] {'a', 0, 'b', (byte) 0xFF, (byte) 0x80, 0x7F});
            case 5 ->
                headers.put(
                        "X-Big",
                        "b".repeat(in.pick(List.of(6_000, 9_000, 20_000))).getBytes(StandardCharsets.US_ASCII));
            case 6 -> {
                headers.put(
                        "Content-Length",
                        in.pick("-1", "abc", "99999999999999999999", " 12", "1, 1")
                                .getBytes(StandardCharsets.US_ASCII));
                return "Content-Length";
            }
            default -> {
                for (int n = 0; n < 150; n++) {
                    headers.put("X-Many-" + n, "v".getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        return String.join(",", headers.keySet());
    }

    private static String goodArticle(HostileInputs in) {
        return in.pick("fuzz-article", "a", "A.b_c-d", "x".repeat(200));
    }

    private static String articleId(HostileInputs in) {
        return in.chance(0.5) ? goodArticle(in) : hostileArticle(in);
    }

    private static String hostileArticle(HostileInputs in) {
        return in.pick(
                "..",
                "%2e%2e",
                "..%2f..%2fetc%2fpasswd",
                "-dash",
                "x".repeat(201),
                "x".repeat(5_000),
                "%00",
                "a%00b",
                "a;b=c",
                "a%2Fb",
                "%E2%98%83",
                "caf%C3%A9",
                "%FF%FE",
                "a%20b",
                ".hidden",
                "_x",
                "a%0d%0aX-Injected:%20b",
                FuzzAnswers.encode(in.unicode(in.between(1, 30))),
                "%",
                "%zz");
    }

    private static String query(HostileInputs in, String... names) {
        StringBuilder query = new StringBuilder();
        for (int n = in.between(0, 4); n > 0; n--) {
            if (query.length() > 0) {
                query.append('&');
            }
            String name = in.chance(0.8) ? in.pick(names) : FuzzAnswers.encode(in.string());
            String value = switch (in.random().nextInt(5)) {
                case 0 -> Integer.toString(in.random().nextInt());
                case 1 -> in.pick("0", "-1", "1", "100", "101", "1e3", "0x10", "99999999999999999999", "", "NaN", " 5");
                case 2 -> FuzzAnswers.encode(in.string());
                case 3 ->
                    in.pick(
                            "%",
                            "%zz", "%FF", "a%00", "%E2%98", "MTIzOmFiYw", "LTE6MDFKRFE3WjVLOE0zTjRQNVE2UjdTOFQ5VjA");
                default -> FuzzAnswers.encode(in.ascii(in.between(0, 50)));
            };
            query.append(name).append('=').append(value);
        }
        return query.toString();
    }

    /** A body over {@code comments.max-body-size} (64 KB): declared, or chunked without a length. */
    private static Case tooLarge(HostileInputs in) {
        Map<String, Object> comment = goodComment(in);
        comment.put("text", "t".repeat(70_000));
        byte[] body = json(comment);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json".getBytes(StandardCharsets.US_ASCII));
        if (in.random().nextBoolean()) {
            headers.put("Content-Length", Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
            return new Case(
                    "too large",
                    "POST",
                    "/api/articles/big/comments".getBytes(StandardCharsets.US_ASCII),
                    headers,
                    body,
                    false);
        }
        headers.put("Transfer-Encoding", "chunked".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 8_192) {
            int size = Math.min(8_192, body.length - offset);
            chunked.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(body, offset, size);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Case(
                "too large, chunked",
                "POST",
                "/api/articles/big/comments".getBytes(StandardCharsets.US_ASCII),
                headers,
                chunked.toByteArray(),
                false);
    }
}
