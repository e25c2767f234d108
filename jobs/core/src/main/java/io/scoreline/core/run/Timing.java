package io.scoreline.core.run;

import java.time.Duration;
import java.time.Instant;

/** When a job ran and for how long. */
public record Timing(Instant startedAt, Instant finishedAt, long durationMs) {
    public static Timing since(Instant start) {
        Instant end = Instant.now();
        return new Timing(start, end, Duration.between(start, end).toMillis());
    }
}
