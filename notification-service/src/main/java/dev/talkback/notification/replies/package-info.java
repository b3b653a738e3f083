/**
 * Reply notifications with double opt-in: the contact of every comment is kept, so that a published reply finds
 * its parent's author; that author is mailed only if they asked for it and confirmed their address.
 */
@NullMarked
package dev.talkback.notification.replies;

import org.jspecify.annotations.NullMarked;
