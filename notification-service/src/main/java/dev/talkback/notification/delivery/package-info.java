/**
 * The durable outbox: every notification is recorded under a unique key (kind, subject, channel, recipient hash)
 * when its event is consumed, and sent by a dispatcher that claims deliveries atomically, so that a redelivered
 * event, a restart or a second instance never sends it twice, and an outage of SMTP or a webhook only delays it.
 */
@NullMarked
package dev.talkback.notification.delivery;

import org.jspecify.annotations.NullMarked;
