/** The decision pipeline as plain Java: no Spring, Kafka or MongoDB. */
@NullMarked
package dev.talkback.engine;

import org.jspecify.annotations.NullMarked;
