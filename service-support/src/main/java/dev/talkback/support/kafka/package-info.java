/** What the services' Kafka consumers share. */
@NullMarked
package dev.talkback.support.kafka;

import org.jspecify.annotations.NullMarked;
