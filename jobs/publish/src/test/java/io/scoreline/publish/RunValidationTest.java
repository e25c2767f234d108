package io.scoreline.publish;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.Window;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Before anything reaches latest/: the run's counts add up, not too much was rejected, and it is not older. */
class RunValidationTest {
    private static final String SHA = "a".repeat(64);
    private static final Instant END = Instant.parse("2026-01-01T11:00:00Z");

    private static FetchManifest fetch(String run, Instant end, long kept, long rejected) {
        return new FetchManifest(run, "incremental", "file:///docs", "updated_at", end, new Window(null, end), kept + rejected, 0, 0,
            rejected, new OutputFile("runs/" + run + "/input.ndjson.gz", kept, 100, SHA),
            new OutputFile("runs/" + run + "/fetch-rejected.ndjson.gz", rejected, 20, "b".repeat(64)), null);
    }

    private static PredictManifest predict(String inputSha, long scored, long rejected) {
        return new PredictManifest("r1", new PredictManifest.ModelRef("m", "v1", "production", SHA, "random-forest", "regression"),
            "runs/r1/input.ndjson.gz", inputSha, scored + rejected, scored, rejected,
            new OutputFile("runs/r1/predictions.ndjson.gz", scored, 100, "c".repeat(64)),
            new OutputFile("runs/r1/rejected.ndjson.gz", rejected, 20, "d".repeat(64)), 2, null);
    }

    private static LatestManifest latest(String run, Instant end) {
        return new LatestManifest(LatestManifest.SCHEMA_VERSION, run, "runs/" + run + "/snapshot.ndjson.gz", SHA, 10, 100, "m", "v1", end,
            end.plusSeconds(60), "publish", false, null, null);
    }

    private static String refusal(Executable check) {
        JobException e = assertThrows(JobException.class, check);
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        return e.getMessage();
    }

    @Test
    void countsThatAddUpPass() {
        assertDoesNotThrow(() -> RunValidation.checkCounts(fetch("r1", END, 100, 0), predict(SHA, 98, 2), 0.05));
        assertDoesNotThrow(() -> RunValidation.checkCounts(fetch("r1", END, 0, 0), predict(SHA, 0, 0), 0.0));
    }

    @Test
    void countsThatDoNotAddUpAreRefused() {
        String m = refusal(() -> RunValidation.checkCounts(fetch("r1", END, 10, 0), predict(SHA, 8, 1), 0.5));
        assertEquals("run r1: scored 8 + rejected 1 != fetched 10; rerun predict", m);
    }

    @Test
    void predictionsOfAnotherInputAreRefused() {
        String m = refusal(() -> RunValidation.checkCounts(fetch("r1", END, 10, 0), predict("e".repeat(64), 10, 0), 0.5));
        assertTrue(m.contains("predict scored a different input than fetch wrote"), m);
    }

    @Test
    void rejectedFractionCountsBothFetchAndPredictRejections() {
        // 95 fetched + 5 fetch-rejected = 100 offered; 5 + 2 predict-rejected = 7 rejected
        String m = refusal(() -> RunValidation.checkCounts(fetch("r1", END, 95, 5), predict(SHA, 93, 2), 0.05));
        assertTrue(m.startsWith("run r1: 7 of 100 documents rejected (7.0%), more than --max-rejected-fraction 0.050"), m);
        assertDoesNotThrow(() -> RunValidation.checkCounts(fetch("r1", END, 95, 5), predict(SHA, 93, 2), 0.07));
        assertDoesNotThrow(() -> RunValidation.checkCounts(fetch("r1", END, 95, 5), predict(SHA, 95, 0), 0.05)); // exactly 5%
    }

    @Test
    void firstPublishIsNeverOlder() {
        assertDoesNotThrow(() -> RunValidation.checkNotOlder(fetch("r1", END, 1, 0), null, false));
    }

    @Test
    void olderRunIsRefusedUnlessForced() {
        var old = fetch("r1", END.minusSeconds(300), 1, 0);
        var newer = latest("r2", END);
        String m = refusal(() -> RunValidation.checkNotOlder(old, newer, false));
        assertTrue(m.contains("older than the published run r2") && m.contains("--force"), m);
        assertDoesNotThrow(() -> RunValidation.checkNotOlder(old, newer, true));
    }

    @Test
    void newerOrEqualRunPasses() {
        assertDoesNotThrow(() -> RunValidation.checkNotOlder(fetch("r3", END.plusSeconds(300), 1, 0), latest("r2", END), false));
        assertDoesNotThrow(() -> RunValidation.checkNotOlder(fetch("r3", END, 1, 0), latest("r2", END), false));
    }

    @Test
    void rerunOfThePublishedRunIsAllowed() {
        // the same run id republished (Airflow retry, manual rerun) even with an earlier interval end
        assertDoesNotThrow(() -> RunValidation.checkNotOlder(fetch("r2", END.minusSeconds(300), 1, 0), latest("r2", END), false));
    }
}
