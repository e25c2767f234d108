package io.scoreline.core.run;

import io.scoreline.core.records.OutputFile;
import java.time.Instant;

/** runs/&lt;run&gt;/fetch.json: what fetch read and wrote. */
public record FetchManifest(
    String runId,
    String mode,
    String source,
    String updatedField,
    Instant dataIntervalEnd,
    Window window,
    long read,
    long outOfWindow,
    long duplicates,
    long rejected,
    OutputFile output,
    OutputFile rejectedOutput,
    Timing timing) {}
