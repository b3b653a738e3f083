/**
 * The moderators' digest: held comments are collected, and at most one mail per configured interval lists those
 * not listed before. The interval is claimed atomically in one document, so several instances send one digest.
 */
@NullMarked
package dev.talkback.notification.digest;

import org.jspecify.annotations.NullMarked;
