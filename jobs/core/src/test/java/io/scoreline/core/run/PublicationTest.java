package io.scoreline.core.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.OutputFile;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A run is published once its publish.json exists (written last) or latest/ serves it; then fetch and predict refuse it. */
class PublicationTest {
    private static final RunId R = RunId.parse("r");
    private static final Instant FINISHED = Instant.parse("2026-12-03T10:00:00Z"), PUBLISHED = FINISHED.plusSeconds(1);

    @Test
    void aRunNeitherRecordedNorServedMayBeRewritten() {
        var none = new Publication(R, null, latest("other"));
        assertFalse(none.published());
        assertDoesNotThrow(none::checkRewritable);
        assertDoesNotThrow(new Publication(R, null, null)::checkRewritable);
    }

    @Test
    void aPublishedRunThatLatestNoLongerServesPointsAtRollback() {
        var p = new Publication(R, manifest(PUBLISHED), latest("other"));
        assertTrue(p.published() && p.complete() && !p.served());
        JobException e = assertThrows(JobException.class, p::checkRewritable);
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("run r was published at 2026-12-03T10:00:01Z: its files are history and are not rewritten; start a new"
            + " run (Airflow: trigger a new run) or use 'publish.jar rollback --to r' to serve it again", e.getMessage());
    }

    @Test
    void theServedRunIsPublishedEvenBeforeItsPublishFinished() {
        var p = new Publication(R, null, latest("r"));
        assertTrue(p.published() && p.served() && !p.complete());
        assertEquals(FINISHED.plusSeconds(60), p.at(), "latest/'s time");
        JobException e = assertThrows(JobException.class, p::checkRewritable);
        assertEquals("run r was published at 2026-12-03T10:01:00Z and latest/ serves it: its files are history and are not"
            + " rewritten; start a new run (Airflow: trigger a new run)", e.getMessage());
    }

    @Test
    void aPublishManifestFromBeforePublishedAtGivesWhenThatPublishFinished() {
        assertEquals(FINISHED, new Publication(R, manifest(null), null).at());
    }

    private static PublishManifest manifest(Instant publishedAt) {
        return new PublishManifest("r", "incremental", null, null, 0, 1, 0, new OutputFile("runs/r/snapshot.ndjson.gz", 1, 1, "s"),
            FINISHED, new Window(null, FINISHED), "v1", new Timing(FINISHED.minusSeconds(5), FINISHED, 5000), publishedAt);
    }

    private static LatestManifest latest(String run) {
        return new LatestManifest(LatestManifest.SCHEMA_VERSION, run, "runs/" + run + "/snapshot.ndjson.gz", "s", 1, 1, "churn", "v1",
            FINISHED, FINISHED.plusSeconds(60), "publish", false, null, null);
    }
}
