package io.scoreline.source.es;

import java.time.Duration;

/** Bounded exponential backoff: {@code retries} more attempts, waiting {@code first}, 2×, 4×, … at most 30 s. */
public record Backoff(int retries, Duration first) {
    private static final Duration LONGEST = Duration.ofSeconds(30);

    /** The wait before retry number {@code retry} (1-based). */
    Duration before(int retry) {
        Duration wait = first.multipliedBy(1L << Math.min(retry - 1, 20));
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
