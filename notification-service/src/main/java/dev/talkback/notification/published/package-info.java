/**
 * "Your comment is published": the mail an author gets when their comment is approved.
 */
@NullMarked
package dev.talkback.notification.published;

import org.jspecify.annotations.NullMarked;
