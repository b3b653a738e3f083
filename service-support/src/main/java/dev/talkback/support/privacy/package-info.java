/** Personal data: how email addresses are keyed in lookups. */
@NullMarked
package dev.talkback.support.privacy;

import org.jspecify.annotations.NullMarked;
