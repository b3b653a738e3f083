/** Health indicators the services share. */
@NullMarked
package dev.talkback.support.health;

import org.jspecify.annotations.NullMarked;
