package dev.talkback.moderation.comments;

import dev.talkback.events.CommentSubmitted;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Submissions for the tests that hand comments straight to {@link AutomaticModeration}. */
final class TestComments {

    private TestComments() {}

    /** A comment by "Ada Reader" from the address, through curl. */
    static CommentSubmitted submitted(String article, String email, String text, @Nullable String ip) {
        return new CommentSubmitted(
                UUID.randomUUID(),
                Instant.now(),
                "c-" + UUID.randomUUID(),
                article,
                null,
                new CommentSubmitted.Author("Ada Reader", email, null, false),
                text,
                ip,
                "curl/8");
    }

    /** A new author's address. */
    static String author() {
        return "a-" + UUID.randomUUID() + "@example.org";
    }

    /** A new article's id. */
    static String article() {
        return "article-" + UUID.randomUUID();
    }

    /** Eight random letters, to tell texts apart. */
    static String marker() {
        StringBuilder out = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
