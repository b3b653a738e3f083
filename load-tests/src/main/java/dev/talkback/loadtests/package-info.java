/**
 * Small programs for the benchmark script ({@code bench/run-all.sh}): the bare HTTP endpoint that gives the machine's
 * HTTP limit, and the Kafka helpers (backlog writer, consumer-lag sampler, drain timer). The Gatling simulations are
 * in the test sources, where the Gatling Maven plugin looks for them.
 */
@NullMarked
package dev.talkback.loadtests;

import org.jspecify.annotations.NullMarked;
