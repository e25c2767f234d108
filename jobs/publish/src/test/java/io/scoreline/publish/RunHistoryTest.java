package io.scoreline.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.PublishManifest;
import io.scoreline.core.run.RunOutcome;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.ObjectStore.Listed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** publish.jar runs: ordering runs from one listing, and a run's result from what its manifests record. */
class RunHistoryTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final OutputFile OUT = new OutputFile("k", 90, 1, "a".repeat(64));

    @Test
    void ordersRunsByTheirLastWriteNewestFirst() {
        var folders = RunHistory.folders(List.of(
            new Listed("runs/a/fetch.json", T), new Listed("runs/a/publish.json", T.plusSeconds(500)),
            new Listed("runs/b/fetch.json", T.plusSeconds(100)),
            new Listed("runs/c/fetch.json", T.plusSeconds(200)), new Listed("runs/c/predict.json", T.plusSeconds(300))));
        assertEquals(List.of("a", "c", "b"), folders.stream().map(RunHistory.Folder::runId).toList());
        assertEquals(T.plusSeconds(500), folders.get(0).updatedAt());
        assertEquals(java.util.Set.of("fetch.json", "publish.json"), folders.get(0).files());
    }

    @Test
    void publishedBeatsRefusedBeatsFellBackBeatsIncomplete() {
        var fetch = new FetchManifest("r", "incremental", "src", "updated_at", T, new Window(null, T), 100, 0, 0, 10, OUT, null, null);
        var predict = new PredictManifest("r", new PredictManifest.ModelRef("churn", "v2", "production", null, null, null), "k",
            "s", 90, 88, 2, OUT, null, 1, null);
        var publish = new PublishManifest("r", "incremental", null, null, 0, 80, 8, new OutputFile("s", 500, 1, "b"), T,
            new Window(null, T), "v2", null, T);
        var refused = new RunOutcome("r", RunOutcome.REFUSED, "too many rejected", null, T);
        var fellBack = new RunOutcome("r", RunOutcome.FELL_BACK, "publish failed", "q", T);

        var published = RunSummary.of("r", T, new RunSummary.Records(fetch, predict, publish, refused, fellBack), null);
        assertEquals(RunSummary.PUBLISHED, published.result());
        assertEquals(100L, published.read());
        assertEquals(88L, published.scored());
        assertEquals(12L, published.rejected(), "fetch's and predict's rejects");
        assertEquals(88L, published.published(), "added + updated");
        assertEquals("v2", published.modelVersion());

        var r = RunSummary.of("r", T, new RunSummary.Records(fetch, predict, null, refused, fellBack), null);
        assertEquals(RunSummary.REFUSED, r.result());
        assertEquals("too many rejected", r.reason());
        var f = RunSummary.of("r", T, new RunSummary.Records(fetch, null, null, null, fellBack), null);
        assertEquals(RunSummary.FELL_BACK, f.result());
        assertEquals("publish failed (latest/ kept run q)", f.reason());
        var i = RunSummary.of("r", T, new RunSummary.Records(fetch, predict, null, null, null), null);
        assertEquals(RunSummary.INCOMPLETE, i.result());
        assertEquals("scored, never published", i.reason());
        assertEquals(null, i.published());
    }

    @Test
    void tableAlignsColumnsAndShowsTheWatermark() {
        var latest = new LatestManifest(1, "r1", "s", "h", 5, 1, "churn", "v1", T, T, "publish", false, null, null);
        var fetch = new FetchManifest("r1", "incremental", "src", "updated_at", T, new Window(null, T), 1234, 0, 0, 0, OUT, null, null);
        var runs = List.of(
            RunSummary.of("r1", T, new RunSummary.Records(fetch, null, null, null, null), latest),
            RunSummary.of("a-longer-run", T, new RunSummary.Records(null, null, null, null, null), latest));
        var text = new StringWriter();
        RunsTable.print(new RunsCommand.Report(1, "file:///s/", 30, 2, null, latest, runs), new PrintWriter(text, true));
        List<String> lines = text.toString().lines().toList();
        assertEquals("RUN           LAST WRITE (UTC)      READ  SCORED  REJECTED  PUBLISHED  MODEL  RESULT", lines.get(0));
        assertEquals("r1            2026-12-01 10:00:00  1,234       -         0          -  -      incomplete (serving): fetched, never scored",
            lines.get(1));
        assertTrue(lines.get(3).contains("newest 2 of 30 runs"), lines.get(3));
        assertTrue(lines.get(4).startsWith("watermark: none yet"), lines.get(4));
    }

    @Test
    void aPartitionedRunCountsAllItsParts() {
        var part0 = new FetchManifest("r", "incremental", "src", "updated_at", T, new Window(null, T), 60, 1, 2, 3, OUT, null, null)
            .withPart(new FetchManifest.Part(0, 2, "plan"));
        var part1 = new FetchManifest("r", "incremental", "src", "updated_at", T, new Window(null, T), 40, 1, 0, 0, OUT, null, null)
            .withPart(new FetchManifest.Part(1, 2, "plan"));
        var model = new PredictManifest.ModelRef("churn", "v2", "production", null, null, null);
        var scored0 = new PredictManifest("r", model, "k", "s", 57, 56, 1, OUT, null, 1, null);
        var scored1 = new PredictManifest("r", model, "k", "s", 40, 40, 0, OUT, null, 1, null);
        var summary = RunSummary.of("r", T, new RunSummary.Records(RunHistory.fetchOfParts(List.of(part0, part1)),
            RunHistory.predictOfParts(List.of(scored0, scored1)), null, null, null), null);
        assertEquals(100L, summary.read());
        assertEquals(96L, summary.scored());
        assertEquals(4L, summary.rejected());
        assertEquals("v2", summary.modelVersion());
        assertEquals(null, RunHistory.fetchOfParts(List.of()));
    }
}
