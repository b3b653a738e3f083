package dev.talkback.engine;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the pipeline judges: a comment as the reader submitted it.
 *
 * @param commentId   the comment's id, for logging
 * @param articleId   the article it is under
 * @param authorName  display name
 * @param email       the author's address
 * @param website     the author's website, or {@code null}
 * @param text        the text as written
 * @param clientIp    the reader's IP address, or {@code null}
 */
public record Submission(
        String commentId,
        @Nullable String articleId,
        @Nullable String authorName,
        @Nullable String email,
        @Nullable String website,
        String text,
        @Nullable String clientIp) {

    public Submission {
        Objects.requireNonNull(commentId, "commentId");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return "Submission[commentId=" + commentId + ", articleId=" + articleId + "]";
    }
}
