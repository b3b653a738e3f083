/**
 * "Your comment is published" (and "was not published"): the mail an author gets about the decision, when they
 * asked for it in the form and confirmed their address.
 */
@NullMarked
package dev.talkback.notification.published;

import org.jspecify.annotations.NullMarked;
