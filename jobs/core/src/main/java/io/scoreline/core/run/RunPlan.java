package io.scoreline.core.run;

import java.time.Instant;

/**
 * runs/&lt;run&gt;/parts/plan.json: what every partition of a run reads, fixed by the first partition that starts and
 * adopted by the others, so that all parts share one window and (for Elasticsearch) one point-in-time. {@code id}
 * names this plan: each part's fetch manifest records it, and publish merges only parts of the same plan.
 */
public record RunPlan(
    String id,
    String runId,
    int partitions,
    String mode,
    String updatedField,
    Instant dataIntervalEnd,
    Window window,
    String pointInTime,
    int slices,
    Instant createdAt) {}
