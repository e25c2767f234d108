package io.scoreline.core.run;

import io.scoreline.core.records.OutputFile;
import java.time.Instant;

/** runs/&lt;run&gt;/publish.json: how the snapshot was built and promoted. */
public record PublishManifest(
    String runId,
    String mode,
    String baseSnapshot,
    String baseSha256,
    long baseCount,
    long added,
    long updated,
    OutputFile snapshot,
    Instant dataIntervalEnd,
    Window window,
    String modelVersion,
    Timing timing) {}
