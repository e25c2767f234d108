package io.scoreline.serve.scoring;

import java.time.Duration;

/**
 * A request's deadline, counted from its arrival (so queueing counts). The model gets the deadline less a reserve in
 * which the fallbacks (Redis, then memory) still answer in time.
 */
public record Deadline(long startNanos, long deadlineNanos) {
    private static final long MAX_RESERVE = Duration.ofMillis(10).toNanos();

    public static Deadline of(long startNanos, Duration deadline) {
        return new Deadline(startNanos, startNanos + deadline.toNanos());
    }

    /** How long the model may take from now. */
    public long modelNanosLeft() {
        long reserve = Math.min(MAX_RESERVE, (deadlineNanos - startNanos) / 4);
        return deadlineNanos - reserve - System.nanoTime();
    }

    /** How long a fallback may wait from now. */
    public Duration left() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    public boolean passed() {
        return System.nanoTime() >= deadlineNanos;
    }

    public long tookMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
