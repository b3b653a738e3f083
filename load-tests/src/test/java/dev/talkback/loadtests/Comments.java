package dev.talkback.loadtests;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Valid, varied comments and the requests that post and read them. */
final class Comments {

    private static final String[] NAMES = {
        "Ada Reader",
        "Grace H.",
        "Linus",
        "Margaret",
        "Tim B.",
        "Barbara L.",
        "Ken",
        "Radia P.",
        "Edsger",
        "Frances A.",
        "John M.",
        "Hedy",
        "Annie E.",
        "Dennis R.",
        "Katherine J.",
        "Alan",
    };

    private Comments() {}

    /**
     * A fresh comment: unique email (moderation allows 5 per email per 10 minutes), varied name, a text of its own
     * ({@link CommentText}: ham to the spam model, not a near-duplicate of the others).
     */
    static String body() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Paragraphs now and then (the renderer's <p>), the JSON escape of a blank line.
        String text = CommentText.next();
        if (random.nextInt(4) == 0) {
            int cut = text.indexOf(". ");
            if (cut > 0) {
                text = text.substring(0, cut + 1) + "\\n\\n" + text.substring(cut + 2);
            }
        }
        String website = random.nextInt(5) == 0 ? "\"https://reader" + random.nextInt(1000) + ".example.org\"" : "null";
        return "{\"name\":\"" + NAMES[random.nextInt(NAMES.length)] + "\","
                + "\"email\":\"load-" + UUID.randomUUID() + "@example.org\","
                + "\"website\":" + website + ","
                + "\"text\":\"" + text + "\","
                + "\"notifyReplies\":" + (random.nextInt(10) == 0) + "}";
    }

    /** Endless feeder of article ids {@code <prefix>-0 .. <prefix>-(count-1)}, random. */
    static java.util.Iterator<Map<String, Object>> articles(String prefix, int count) {
        Supplier<Map<String, Object>> next = () ->
                Map.of("articleId", prefix + "-" + ThreadLocalRandom.current().nextInt(count));
        return Stream.generate(next).iterator();
    }

    /** POST the comment; 202 expected; keeps the new id as {@code commentId}. */
    static HttpRequestActionBuilder post(String name) {
        return http(name)
                .post("/api/articles/#{articleId}/comments")
                .header("Content-Type", "application/json")
                .body(StringBody(session -> body()))
                .check(status().is(202), jsonPath("$.id").saveAs("commentId"));
    }

    /** GET the first page of the article's published comments. */
    static HttpRequestActionBuilder read(String name, int limit) {
        return http(name)
                .get("/api/articles/#{articleId}/comments")
                .queryParam("limit", limit)
                .check(status().is(200));
    }

    static Function<Session, Session> constant(String key, Object value) {
        return session -> session.set(key, value);
    }
}
