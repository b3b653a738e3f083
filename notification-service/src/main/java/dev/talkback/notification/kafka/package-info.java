/** The topics, the listener of {@code comments.moderated.v1} and its error handling. */
@NullMarked
package dev.talkback.notification.kafka;

import org.jspecify.annotations.NullMarked;
