/**
 * Double opt-in: an address that asked for mail it must confirm (its comment published or rejected, replies) and
 * has not confirmed gets a confirmation request, rate-limited per address, that quotes nothing the poster wrote;
 * one confirmation covers every such kind of mail.
 */
@NullMarked
package dev.talkback.notification.optin;

import org.jspecify.annotations.NullMarked;
