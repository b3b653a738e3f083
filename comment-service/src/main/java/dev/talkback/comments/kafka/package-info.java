/** The topics this service produces and consumes, and its listeners' error handling. */
@NullMarked
package dev.talkback.comments.kafka;

import org.jspecify.annotations.NullMarked;
