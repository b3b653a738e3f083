/**
 * Outgoing mail over SMTP: one recipient per message, addresses checked so that no input can add a header or a
 * second recipient.
 */
@NullMarked
package dev.talkback.notification.mail;

import org.jspecify.annotations.NullMarked;
