/**
 * The delivery ledger: every notification is recorded under a unique key before it is sent, so that a redelivered
 * event, a restart or a second instance never sends it twice.
 */
@NullMarked
package dev.talkback.notification.delivery;

import org.jspecify.annotations.NullMarked;
