package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * History under runs/ is immutable once published (DESIGN.md): a rerun of a published run (an Airflow Clear of a
 * successful task, a manual rerun) rewrites no byte of it nor of latest/ and state/. fetch and predict refuse it with
 * exit 2; publish does nothing for the run latest/ serves (exit 0) and refuses any other (exit 6), pointing at rollback.
 */
class PublishedRunsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(300);
    static final String[] STORE = {"runs/", "latest/", "state/"};

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    /** run-1 (200 documents), then run-2 (50 more): both published, latest/ serves run-2. */
    private static Pipeline twoPublished(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 200, T0.minusSeconds(600), 3);
        p.cycle("run-1", T0);
        Fixtures.appendDocuments(p.source, 200, 50, T0.plusSeconds(60), 3);
        p.cycle("run-2", T1);
        return p;
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void fetchAndPredictRefuseAPublishedRunAndChangeNothing(TestStore store) throws Exception {
        Pipeline p = twoPublished(store);
        Map<String, String> before = Fixtures.digests(store, STORE);

        String older = "run run-1 was published at " + publishedAt(store, "run-1") + ": its files are history and are not"
            + " rewritten; start a new run (Airflow: trigger a new run) or use 'publish.jar rollback --to run-1' to serve it again";
        assertRefused(p.fetch("run-1", T0), "fetch: error: " + older);
        assertRefused(p.predict("run-1", "--partition", "0/2"), "predict: error: " + older); // every partition: one run
        String served = "run run-2 was published at " + publishedAt(store, "run-2") + " and latest/ serves it: its files are"
            + " history and are not rewritten; start a new run (Airflow: trigger a new run)";
        assertRefused(p.fetch("run-2", T1, "--partition", "1/2"), "fetch: error: " + served);
        assertRefused(p.predict("run-2"), "predict: error: " + served);

        assertEquals(before, Fixtures.digests(store, STORE), "not one byte of runs/, latest/ or state/ changed");
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void publishNeverRewritesAPublishedRunsSnapshot(TestStore store) throws Exception {
        Pipeline p = twoPublished(store);
        Map<String, String> before = Fixtures.digests(store, STORE);

        var again = p.publish("run-2"); // a cleared publish task of the run latest/ serves
        assertEquals(0, again.exit(), again.toString());
        assertEquals("run run-2 was already published at " + publishedAt(store, "run-2") + " and latest/ serves it: nothing to do",
            again.out().strip());
        String older = "publish: error: run run-1 was published at " + publishedAt(store, "run-1") + " and latest/ now serves"
            + " run run-2: its snapshot is history and is not rebuilt; use 'publish.jar rollback --to run-1' to serve it again";
        assertEquals(List.of(older), refused(p.publish("run-1"), 6));
        assertEquals(List.of(older), refused(p.publish("run-1", "--force"), 6), "--force publishes an older run, never rebuilds history");
        assertEquals(before, Fixtures.digests(store, STORE), "not one byte of runs/, latest/ or state/ changed");

        // published, then rolled back from: publish refuses it too, rather than rebuild a snapshot a backend may have read
        var rollback = Jobs.run(store.env(), "publish", "rollback", "--to", "run-1");
        assertEquals(0, rollback.exit(), rollback.toString());
        Map<String, String> rolledBack = Fixtures.digests(store, STORE);
        assertEquals(List.of("publish: error: run run-2 was published at " + publishedAt(store, "run-2") + " and latest/ now serves"
            + " run run-1: its snapshot is history and is not rebuilt; use 'publish.jar rollback --to run-2' to serve it again"),
            refused(p.publish("run-2"), 6));
        assertEquals(0, p.publish("run-1").exit(), "run-1 is served again (by rollback): nothing to do");
        var fallback = Jobs.run(store.env(), "publish", "fallback", "--run-id", "run-2", "--reason", "fetch failed (exit 2)");
        assertEquals(0, fallback.exit(), fallback.toString());
        assertEquals(rolledBack, Fixtures.digests(store, STORE), "the refused rerun marks nothing stale: it brought nothing newer");
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void aFailedRunIsRerunAndPublishedAsBefore(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 200, T0.minusSeconds(600), 3);
        p.cycle("run-1", T0);
        Fixtures.appendDocuments(p.source, 200, 50, T0.plusSeconds(60), 3);
        assertEquals(0, p.fetch("run-2", T1).exit());
        assertEquals(5, p.predict("run-2", "--model-version", "v9").exit(), "no such version: the run fails");
        assertEquals(0, Jobs.run(store.env(), "publish", "fallback", "--run-id", "run-2", "--reason", "predict failed").exit());
        RunId run = RunId.parse("run-2");
        String input = Fixtures.sha256(store, Layout.input(run));

        // the Clear: every job reruns under the same run id, with the same bytes
        assertEquals(0, p.fetch("run-2", T1).exit());
        assertEquals(input, Fixtures.sha256(store, Layout.input(run)), "a rerun of fetch gives the same bytes");
        assertEquals(0, p.predict("run-2").exit());
        String predictions = Fixtures.sha256(store, Layout.predictions(run));
        assertEquals(0, p.predict("run-2").exit());
        assertEquals(predictions, Fixtures.sha256(store, Layout.predictions(run)), "a rerun of predict gives the same bytes");
        var published = p.publish("run-2");
        assertEquals(0, published.exit(), published.toString());

        JsonNode latest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-2", latest.path("run_id").asText());
        assertFalse(latest.path("stale").asBoolean(), "publish clears the fallback's mark");
        assertEquals(250, latest.path("count").asLong());
        JsonNode manifest = Fixtures.json(store, Layout.manifest(run, "publish"));
        assertEquals(latest.path("published_at").asText(), manifest.path("published_at").asText());
        assertEquals(latest.path("sha256").asText(), manifest.path("snapshot").path("sha256").asText());
        assertTrue(store.list("runs/run-2/").contains(Layout.snapshotManifest(run)));
        assertEquals(2, p.fetch("run-2", T1).exit(), "and now it is history");
    }

    private static String publishedAt(TestStore store, String run) {
        return Fixtures.json(store, Layout.manifest(RunId.parse(run), "publish")).path("published_at").asText();
    }

    private static void assertRefused(Jobs.Result r, String line) {
        assertEquals(List.of(line), refused(r, 2));
    }

    /** The job's error lines, once its exit code is the one expected. */
    private static List<String> refused(Jobs.Result r, int exit) {
        assertEquals(exit, r.exit(), r.toString());
        return r.errLines();
    }
}
