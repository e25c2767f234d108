package io.scoreline.core.run;

import java.time.Instant;

/** state/last_good.json: the run whose snapshot fallback re-promotes. */
public record LastGood(String runId, String snapshot, String sha256, long count, long bytes, String model, String modelVersion,
    Instant dataIntervalEnd, Instant publishedAt) {}
