/** comment-service: the comment intake, the read model of published comments and the author's status view. */
@NullMarked
package dev.talkback.comments;

import org.jspecify.annotations.NullMarked;
