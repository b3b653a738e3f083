/** Intake: {@code POST /api/articles/{articleId}/comments} validates a comment and publishes {@code CommentSubmitted}. */
@NullMarked
package dev.talkback.comments.intake;

import org.jspecify.annotations.NullMarked;
