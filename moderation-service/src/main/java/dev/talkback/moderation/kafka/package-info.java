/**
 * Kafka plumbing shared by the listeners: topics, and the error handler with its dead-letter topics.
 */
@NullMarked
package dev.talkback.moderation.kafka;

import org.jspecify.annotations.NullMarked;
