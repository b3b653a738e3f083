/** Health indicators: Kafka and MongoDB. */
@NullMarked
package dev.talkback.comments.health;

import org.jspecify.annotations.NullMarked;
