package dev.talkback.moderation.comments;

import dev.talkback.events.CommentSubmitted;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * What identifies a comment's author beyond the comment itself, kept apart from it in {@code comment_clients} so that
 * MongoDB removes it {@code moderation.privacy.client-data-retention} after {@code storedAt} (a TTL index, see
 * {@link CommentClients}), while the comment, keyed only by {@code emailKey}, stays. Until then moderators see the
 * address and IP, bans by domain, IP or network catch the comment, and decisions reach the author by mail; afterwards
 * the values are simply absent.
 *
 * @param id        the comment id
 * @param email     the author's address as they typed it
 * @param clientIp  the reader's IP address, or {@code null}
 * @param userAgent the reader's User-Agent, or {@code null}
 * @param storedAt  when it was stored: the retention runs from here
 */
@Document(collection = CommentClient.COLLECTION)
record CommentClient(
        @Id String id,
        @Nullable String email,
        @Nullable String clientIp,
        @Nullable String userAgent,
        Instant storedAt) {

    static final String COLLECTION = "comment_clients";

    /** The submission's client data, stored at {@code storedAt}. */
    static CommentClient of(CommentSubmitted submitted, Instant storedAt) {
        return new CommentClient(
                submitted.commentId(),
                submitted.author().email(),
                submitted.clientIp(),
                submitted.userAgent(),
                ModeratedComment.millis(storedAt));
    }

    /** Without the address and the IP address. */
    @Override
    public String toString() {
        return "CommentClient[id=" + id + ", userAgent=" + userAgent + ", storedAt=" + storedAt + "]";
    }
}
