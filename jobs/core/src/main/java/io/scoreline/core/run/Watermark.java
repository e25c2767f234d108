package io.scoreline.core.run;

import java.time.Instant;

/** state/watermark.json: documents updated up to {@code upTo} are in the published snapshot. */
public record Watermark(String updatedField, Instant upTo, String runId, Instant committedAt) {}
