import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a posted comment takes to become visible on GET, against a running local stack.
 *
 * <p>Posts COUNT benign comments one after another to a fresh article and, for each, polls the public list
 * (following the "next" cursor) every POLL_MS until the new comment id appears; the time is measured from just
 * before the POST to the first GET that shows it. Prints median, p90 and worst. A comment that is not visible
 * within TIMEOUT_S counts as a timeout. Run with a JDK 17 only: {@code java bench/VisibilityLatency.java}
 * (or {@code bench/visibility-latency.sh}); arguments: [baseUrl=http://localhost:8080] [count=100].
 *
 * <p>It measures the pipeline's latency, not the spam model's judgement: with the local stack's admin token
 * ({@code -DadminToken=.talkback/tokens/admin.jwt}, moderation API at {@code -DmoderationUrl=http://localhost:8081})
 * it first sets its article's thresholds so that only near-certain spam is held, and near-duplicates off, since
 * its synthetic comments all look alike. Without the token file it warns and goes on with the site's settings.
 */
public class VisibilityLatency {

    static final long POLL_MS = Long.getLong("pollMs", 5);
    static final long TIMEOUT_S = Long.getLong("timeoutSeconds", 30);
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0].replaceAll("/+$", "") : "http://localhost:8080";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String article = "bench-" + System.currentTimeMillis();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        configureArticle(http, article);

        System.out.printf("Posting %d comments to %s/api/articles/%s/comments, polling GET every %d ms (timeout %d s each)%n",
                count, base, article, POLL_MS, TIMEOUT_S);
        List<Long> latencies = new ArrayList<>();
        int timeouts = 0;
        for (int i = 1; i <= count; i++) {
            // unique per run too: the engine rejects an author's repeat and holds one text from many authors
            String body = "{\"name\":\"Bench Reader\",\"email\":\"reader" + i + "-" + article + "@example.org\","
                    + "\"text\":\"Benchmark comment " + i + " of " + article
                    + ": a calm and friendly remark about the article.\"}";
            long start = System.nanoTime();
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/articles/" + article + "/comments"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher id = ID.matcher(posted.body());
            if (posted.statusCode() != 202 || !id.find()) {
                System.err.printf("POST %d answered %d: %s%n", i, posted.statusCode(), posted.body());
                System.exit(2);
            }
            String commentId = id.group(1);
            long deadline = start + Duration.ofSeconds(TIMEOUT_S).toNanos();
            Long latency = null;
            while (System.nanoTime() < deadline) {
                if (visible(http, base, article, commentId)) {
                    latency = (System.nanoTime() - start) / 1_000_000;
                    break;
                }
                Thread.sleep(POLL_MS);
            }
            if (latency == null) {
                timeouts++;
                System.err.printf("comment %d (%s) not visible after %d s%n", i, commentId, TIMEOUT_S);
            }
            else {
                latencies.add(latency);
            }
            if (i % 10 == 0) {
                System.out.printf("  %d/%d posted%n", i, count);
            }
        }
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        System.out.printf("%nVisible on GET after POST (ms), %d comments, %d timeouts:%n", latencies.size(), timeouts);
        if (!sorted.isEmpty()) {
            System.out.printf("  median %d   p90 %d   worst %d   best %d   mean %.1f   first %d%n",
                    percentile(sorted, 50), percentile(sorted, 90), sorted.get(sorted.size() - 1), sorted.get(0),
                    sorted.stream().mapToLong(Long::longValue).average().orElse(0), latencies.get(0));
        }
        System.exit(timeouts == 0 ? 0 : 1);
    }

    /** Whether the comment is on any page of the article's public list. */
    static boolean visible(HttpClient http, String base, String article, String commentId) throws Exception {
        String cursor = null;
        Pattern wanted = Pattern.compile("\"id\"\\s*:\\s*\"" + Pattern.quote(commentId) + "\"");
        for (int page = 0; page < 50; page++) {
            String url = base + "/api/articles/" + article + "/comments?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            if (wanted.matcher(response.body()).find()) {
                return true;
            }
            Matcher next = NEXT.matcher(response.body());
            if (!next.find()) {
                return false;
            }
            cursor = next.group(1);
        }
        return false;
    }

    /** Nearest-rank percentile of a sorted list. */
    static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    static void configureArticle(HttpClient http, String article) throws Exception {
        java.nio.file.Path tokenFile = java.nio.file.Path.of(System.getProperty("adminToken", ".talkback/tokens/admin.jwt"));
        if (!java.nio.file.Files.isRegularFile(tokenFile)) {
            System.err.println("No admin token at " + tokenFile + ": the article keeps the site's settings, and the "
                    + "spam model or the duplicate check may hold the synthetic comments");
            return;
        }
        String moderation = System.getProperty("moderationUrl", "http://localhost:8081").replaceAll("/+$", "");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create(moderation + "/api/moderation/articles/" + article + "/settings"))
                .header("Authorization", "Bearer " + java.nio.file.Files.readString(tokenFile).strip())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"thresholds\":{\"hold\":0.999,\"reject\":1.0},"
                                + "\"duplicates\":{\"windowHours\":1,\"maxDistanceBits\":0}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Could not set the article's settings: " + answer.statusCode() + " "
                    + answer.body());
        }
    }
}
