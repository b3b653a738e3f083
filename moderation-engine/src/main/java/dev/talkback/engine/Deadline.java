package dev.talkback.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The CPU budget of one decision, checked cooperatively: between the phases of the pipeline and every so many words
 * inside its longest loops, never by interrupting a thread. A check that finds the budget spent throws
 * {@link Exceeded}, which the engine turns into a hold ({@code engine.budget}); a check that finds the caller no
 * longer wants the decision (it found one stored, see {@link ModerationEngine#decideUnless}) throws {@link Abandoned}.
 *
 * <p>What counts is the deciding thread's CPU time, so that a decision waiting for the store or DNS, or a thread
 * descheduled on a busy machine, is not held for it. Reading a thread's CPU time costs a system call, so a check
 * reads the cheap wall clock first and the CPU clock only once that shows the budget spent (CPU time never runs ahead
 * of wall time in one thread).
 */
final class Deadline {

    /** The two clocks a deadline reads, in nanoseconds; tests pass their own. */
    interface Ticker {

        long wallNanos();

        long cpuNanos();

        /** System.nanoTime and the current thread's CPU time (wall time where the JVM cannot tell CPU time). */
        Ticker SYSTEM = new Ticker() {
            private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            private final boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();

            @Override
            public long wallNanos() {
                return System.nanoTime();
            }

            @Override
            public long cpuNanos() {
                return cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
            }
        };
    }

    /** Thrown by a check when the budget is spent. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String phase) {
            super(phase, null, false, false);
        }
    }

    /** Thrown by a check when the caller no longer wants the decision. */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private static final BooleanSupplier NEVER = () -> false;
    static final Deadline NONE = new Deadline(null, 0, 0, 0, NEVER);

    private final Ticker ticker;
    private final long budgetNanos;
    private final long wallStart;
    private final long cpuStart;
    private final BooleanSupplier abandoned;

    private Deadline(Ticker ticker, long budgetNanos, long wallStart, long cpuStart, BooleanSupplier abandoned) {
        this.ticker = ticker;
        this.budgetNanos = budgetNanos;
        this.wallStart = wallStart;
        this.cpuStart = cpuStart;
        this.abandoned = abandoned;
    }

    /** A deadline {@code budget} of CPU time from now, or none when the budget is null. */
    static Deadline start(Duration budget, Ticker ticker, BooleanSupplier abandoned) {
        if (budget == null) {
            return abandoned == NEVER ? NONE : new Deadline(null, 0, 0, 0, abandoned);
        }
        return new Deadline(ticker, budget.toNanos(), ticker.wallNanos(), ticker.cpuNanos(), abandoned);
    }

    static BooleanSupplier never() {
        return NEVER;
    }

    /** Throws if the budget is spent or the decision is no longer wanted; {@code phase} names where, for the log. */
    void check(String phase) {
        if (abandoned.getAsBoolean()) {
            throw new Abandoned();
        }
        if (ticker != null
                && ticker.wallNanos() - wallStart > budgetNanos
                && ticker.cpuNanos() - cpuStart > budgetNanos) {
            throw new Exceeded(phase);
        }
    }

    /** CPU time spent so far, for the moderator's message. */
    Duration spent() {
        return ticker == null ? Duration.ZERO : Duration.ofNanos(ticker.cpuNanos() - cpuStart);
    }
}
