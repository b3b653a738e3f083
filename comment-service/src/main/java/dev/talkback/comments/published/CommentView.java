package dev.talkback.comments.published;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A published comment as readers get it. {@code text} is as written (escape it when inserting it into HTML yourself);
 * {@code html} is the safe rendering. There is deliberately no email address.
 *
 * @param parentId    the comment it answers, as written, also when the reply is shown elsewhere (a reply nested deeper
 *                    than {@code comments.page.max-reply-depth} is listed under an ancestor)
 * @param replies     the replies shown with it, nested, oldest first
 * @param moreReplies on a top-level comment, how many replies of its thread this answer does not carry
 * @param repliesNext on a top-level comment with {@code moreReplies}, the cursor of its further replies
 *                    ({@code GET /api/articles/{articleId}/comments/{id}/replies?cursor=…}), else {@code null}
 */
record CommentView(
        String id,
        @Nullable String parentId,
        String name,
        @Nullable String website,
        String text,
        String html,
        @Nullable Instant publishedAt,
        List<CommentView> replies,
        long moreReplies,
        @Nullable String repliesNext) {

    /** A comment shown with all of its (given) replies. */
    CommentView(
            String id,
            @Nullable String parentId,
            String name,
            @Nullable String website,
            String text,
            String html,
            @Nullable Instant publishedAt,
            List<CommentView> replies) {
        this(id, parentId, name, website, text, html, publishedAt, replies, 0, null);
    }
}
