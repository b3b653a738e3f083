/**
 * notification-service: consumes moderation decisions from {@code comments.moderated.v1} and tells people about
 * them. Kafka, health and configuration live here; each kind of notification is a feature package.
 */
@NullMarked
package dev.talkback.notification;

import org.jspecify.annotations.NullMarked;
