/**
 * What each address agreed to: double opt-in for reply notifications, one-click unsubscribe per kind of mail
 * (RFC 8058), and addresses that bounced. Links are signed, so no one can confirm or unsubscribe an address they
 * did not receive mail at.
 */
@NullMarked
package dev.talkback.notification.subscription;

import org.jspecify.annotations.NullMarked;
