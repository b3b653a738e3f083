package dev.talkback.comments.published;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A published comment as readers get it. {@code text} is as written (escape it when inserting it into HTML yourself);
 * {@code html} is the safe rendering. There is deliberately no email address.
 */
record CommentView(
        String id,
        @Nullable String parentId,
        String name,
        @Nullable String website,
        String text,
        String html,
        @Nullable Instant publishedAt,
        List<CommentView> replies) {
}
