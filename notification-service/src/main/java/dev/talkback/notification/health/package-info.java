/** Health indicators: Kafka and MongoDB, both in the readiness group. */
@NullMarked
package dev.talkback.notification.health;

import org.jspecify.annotations.NullMarked;
