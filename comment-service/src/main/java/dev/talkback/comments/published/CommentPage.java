package dev.talkback.comments.published;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of top-level comments with their threads.
 *
 * @param next  cursor of the following page, or {@code null} on the last page
 * @param total number of published comments of the article that readers can see (top-level and replies)
 */
record CommentPage(List<CommentView> comments, @Nullable String next, long total) {}
