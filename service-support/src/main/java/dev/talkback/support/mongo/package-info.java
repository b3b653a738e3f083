/** The MongoDB indexes each service's features declare, created once at start by one component. */
@NullMarked
package dev.talkback.support.mongo;

import org.jspecify.annotations.NullMarked;
