package io.scoreline.core.run;

import io.scoreline.core.records.OutputFile;
import java.time.Instant;

/** runs/&lt;run&gt;/fetch.json (or parts/&lt;i&gt;/fetch.json): what fetch read and wrote. */
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
    Timing timing,
    Part part) {

    /** Which partition of which plan this fetch wrote; null (and left out of the file) for an unpartitioned run. */
    public record Part(int index, int count, String plan) {}

    /** An unpartitioned run's manifest: the same fields, and the same file, as before partitions existed. */
    public FetchManifest(String runId, String mode, String source, String updatedField, Instant dataIntervalEnd, Window window,
            long read, long outOfWindow, long duplicates, long rejected, OutputFile output, OutputFile rejectedOutput, Timing timing) {
        this(runId, mode, source, updatedField, dataIntervalEnd, window, read, outOfWindow, duplicates, rejected, output,
            rejectedOutput, timing, null);
    }

    public FetchManifest withPart(Part part) {
        return new FetchManifest(runId, mode, source, updatedField, dataIntervalEnd, window, read, outOfWindow, duplicates,
            rejected, output, rejectedOutput, timing, part);
    }
}
