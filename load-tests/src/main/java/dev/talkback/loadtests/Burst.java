package dev.talkback.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;

/**
 * A breaking-news burst for {@code bench/run-all.sh}: {@code count} comments from distinct readers posted as fast as
 * the intake takes them ({@code concurrency} requests in flight), {@code optInPercent} of them asking for the
 * "published" mail from a new address (each then gets one mail, the confirmation request). It then follows the
 * pipeline until it has caught up, and prints, from the first POST:
 * <ul>
 *   <li>the intake's latencies ({@code 202}s; p50, p99, max);</li>
 *   <li>{@code decided}: when moderation-service's group had committed every submitted comment (its lag on
 *       {@code comments.submitted.v1} is 0: each decision is stored and published before its offset is committed);
 *   </li>
 *   <li>{@code visible}: when comment-service's read model had committed every decision (lag 0 on
 *       {@code comments.moderated.v1}: each is written before its offset is committed, so a GET shows it);</li>
 *   <li>{@code mailed}: when notification-service sent the last of its mails (the opt-ins whose comment was
 *       approved; it has read every decision and sent nothing more for 3 s).</li>
 * </ul>
 * Usage: {@code Burst <baseUrl> <bootstrap> <prometheusUrl> <count> <concurrency> <optInPercent> <timeoutSeconds>}.
 */
public final class Burst {

    private Burst() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: Burst <baseUrl> <bootstrap> <prometheusUrl> <count> <concurrency> <optInPercent>"
                    + " <timeoutSeconds>");
            System.exit(2);
        }
        String baseUrl = args[0];
        String bootstrap = args[1];
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(args[2])).build();
        int count = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int optInPercent = Integer.parseInt(args[5]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[6]));

        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        double mailsBefore = KafkaBench.sentMails(http, scrape);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        int optIns = 0;
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<?>> posts = new ArrayList<>();
        String run = Long.toString(System.currentTimeMillis(), 36);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            boolean optIn = i % 100 < optInPercent;
            optIns += optIn ? 1 : 0;
            HttpRequest post = HttpRequest.newBuilder(
                            URI.create(baseUrl + "/api/articles/burst-" + run + "-" + (i % 20) + "/comments"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Burst Reader " + i + "\",\"email\":\"burst-"
                            + UUID.randomUUID() + "@example.org\",\"text\":\"" + CommentText.next() + "\","
                            + "\"notifyPublished\":" + optIn + "}"))
                    .build();
            inFlight.acquire();
            long sent = System.nanoTime();
            posts.add(http.sendAsync(post, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure == null && response.statusCode() == 202) {
                            latencies.add(System.nanoTime() - sent);
                        } else {
                            refused.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new))
                .exceptionally(ignored -> null)
                .join();
        double postedSeconds = seconds(started);

        double decided = -1;
        double visible = -1;
        double mailed = -1;
        double lastMail = -1;
        double mails = 0;
        try (Admin admin = KafkaBench.admin(bootstrap)) {
            while (System.nanoTime() < deadline && (decided < 0 || visible < 0 || mailed < 0)) {
                if (decided < 0
                        && KafkaBench.offsets(admin, "moderation-service", "comments.submitted.v1")
                                        .lag()
                                == 0) {
                    decided = seconds(started);
                }
                if (visible < 0
                        && decided >= 0
                        && KafkaBench.offsets(admin, "comment-service", "comments.moderated.v1")
                                        .lag()
                                == 0) {
                    visible = seconds(started);
                }
                double sent = KafkaBench.sentMails(http, scrape) - mailsBefore;
                if (sent > mails) {
                    mails = sent;
                    lastMail = seconds(started);
                }
                // the opt-ins of approved comments only are mailed, which the burst does not know: mailing is done
                // once notification-service has read every decision and sent nothing more for 3 s
                if (mailed < 0
                        && visible >= 0
                        && seconds(started) - Math.max(lastMail, visible) > 3
                        && KafkaBench.offsets(admin, "notification-service", "comments.moderated.v1")
                                        .lag()
                                == 0) {
                    mailed = lastMail;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "accepted=%d refused=%d posted_in=%.2fs p50=%dms p99=%dms max=%dms decided=%s visible=%s mails=%d"
                        + " (of %d opt-ins) mailed=%s%n",
                sorted.size(),
                refused.get(),
                postedSeconds,
                percentile(sorted, 50),
                percentile(sorted, 99),
                percentile(sorted, 100),
                time(decided),
                time(visible),
                (long) mails,
                optIns,
                time(mailed));
        if (decided < 0 || visible < 0 || mailed < 0 || refused.get() > 0) {
            System.exit(1);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String time(double seconds) {
        return seconds < 0 ? "timeout" : String.format(Locale.ROOT, "%.1fs", seconds);
    }

    /** Nearest rank, in ms. */
    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, rank - 1)));
    }
}
