/** The read model of moderated comments, built from {@code comments.moderated.v1}, served to readers and authors. */
@NullMarked
package dev.talkback.comments.published;

import org.jspecify.annotations.NullMarked;
