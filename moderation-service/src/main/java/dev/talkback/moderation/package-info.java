/**
 * moderation-service: decides on every submitted comment with the moderation engine, keeps the comment and its
 * decisions in MongoDB and publishes each decision as a {@code CommentModerated} event.
 */
@NullMarked
package dev.talkback.moderation;

import org.jspecify.annotations.NullMarked;
