/**
 * Gatling simulations (Java DSL) against a running Talkback: intake, readers, mixed, the end-to-end probe and the
 * seeding of a large article. Settings are system properties ({@link Settings}); see the module README.
 */
@NullMarked
package dev.talkback.loadtests;

import org.jspecify.annotations.NullMarked;
