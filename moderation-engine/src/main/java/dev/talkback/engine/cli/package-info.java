/** The command line that measures the engine: evaluate a labeled file, check a list of addresses. */
@NullMarked
package dev.talkback.engine.cli;

import org.jspecify.annotations.NullMarked;
