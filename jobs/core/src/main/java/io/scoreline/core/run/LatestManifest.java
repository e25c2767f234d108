package io.scoreline.core.run;

import java.time.Instant;

/**
 * latest/manifest.json, the backend's entry point. {@code snapshot} names the immutable history object that
 * latest/predictions.ndjson.gz is a copy of, so a reader can always get bytes that match {@code sha256}.
 */
public record LatestManifest(
    int schemaVersion,
    String runId,
    String snapshot,
    String sha256,
    long count,
    long bytes,
    String model,
    String modelVersion,
    Instant dataIntervalEnd,
    Instant publishedAt,
    String promotedBy,
    boolean stale,
    String staleReason,
    String failedRunId) {

    public static final int SCHEMA_VERSION = 1;
}
