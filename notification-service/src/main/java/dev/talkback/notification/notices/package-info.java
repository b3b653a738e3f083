/**
 * Notices of illegal content (Digital Services Act, Art. 16): the notifier is told that the notice was received, and
 * then what was decided and how to contest it, when their address is confirmed.
 */
@NullMarked
package dev.talkback.notification.notices;

import org.jspecify.annotations.NullMarked;
