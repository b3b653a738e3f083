/**
 * The moderated comment: its intake from {@code comments.submitted.v1}, the automatic decision, the stored document
 * with its decision history, the {@code CommentModerated} it publishes, and the read endpoint.
 */
@NullMarked
package dev.talkback.moderation.comments;

import org.jspecify.annotations.NullMarked;
