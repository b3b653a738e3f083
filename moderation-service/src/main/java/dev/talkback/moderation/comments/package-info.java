/**
 * The moderated comment: its intake from {@code comments.submitted.v1}, the automatic decision, the stored document
 * with its decision history, the {@code CommentModerated} it publishes, and the moderators' API on comments: the
 * queue, human decisions, claims and statistics. Also the engine bean and its state in MongoDB (author history, recent
 * activity) and the spam and abuse models' learning from moderators' labels.
 */
@NullMarked
package dev.talkback.moderation.comments;

import org.jspecify.annotations.NullMarked;
