package io.scoreline.core.run;

import io.scoreline.core.records.OutputFile;
import java.time.Instant;

/**
 * runs/&lt;run&gt;/publish.json: how the snapshot was built and when it was published. The same record without
 * {@code publishedAt} is runs/&lt;run&gt;/snapshot.json, written before promotion, so that a publish stopped after
 * promoting can be finished; publish.json, written last, is what makes the run published ({@link Publication}).
 */
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
    Timing timing,
    Instant publishedAt) {

    public PublishManifest withPublishedAt(Instant at) {
        return new PublishManifest(runId, mode, baseSnapshot, baseSha256, baseCount, added, updated, snapshot, dataIntervalEnd,
            window, modelVersion, timing, at);
    }
}
