/**
 * Health indicators of the readiness group: the instance is ready only when Kafka and MongoDB answer.
 */
@NullMarked
package dev.talkback.moderation.health;

import org.jspecify.annotations.NullMarked;
