package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A publish killed at its most delicate instant leaves the backend a complete, consistent answer. */
class CrashSafetyTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void publishKilledBetweenSnapshotAndManifestLeavesAConsistentLatest(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 200, T0.minusSeconds(600), 3);
        p.cycle("run-1", T0);
        String oldSha = Fixtures.sha256(store, Layout.LATEST_PREDICTIONS);

        Fixtures.appendDocuments(p.source, 200, 100, T0.plusSeconds(60), 3);
        assertEquals(0, p.fetch("run-2", T0.plusSeconds(300)).exit());
        assertEquals(0, p.predict("run-2").exit());
        Process publish = Jobs.start(store.env(), "publish", "--run-id", "run-2", "--pause-before-manifest", "60s");
        awaitLine(publish, "paused before writing the manifest");
        publish.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(publish.waitFor(30, TimeUnit.SECONDS));

        // The backend's view right after the crash: the manifest still names run 1, and both ways of reading it hold.
        JsonNode manifest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-1", manifest.path("run_id").asText());
        assertEquals(manifest.path("sha256").asText(), Fixtures.sha256(store, manifest.path("snapshot").asText()),
            "the snapshot the manifest names matches it");
        String latestSha = Fixtures.sha256(store, Layout.LATEST_PREDICTIONS);
        String newSha = Fixtures.sha256(store, p.snapshot("run-2"));
        assertTrue(latestSha.equals(oldSha) || latestSha.equals(newSha), "latest/predictions is one whole snapshot, old or new");
        int records = Fixtures.records(store, Layout.LATEST_PREDICTIONS).size(); // decompresses to the end
        assertTrue(records == 200 && latestSha.equals(oldSha) || records == 300 && latestSha.equals(newSha), "records: " + records);

        // Airflow's retry of the task finishes the job.
        assertEquals(0, p.publish("run-2").exit());
        JsonNode after = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-2", after.path("run_id").asText());
        assertEquals(300, after.path("count").asLong());
        assertEquals(after.path("sha256").asText(), Fixtures.sha256(store, Layout.LATEST_PREDICTIONS));
    }

    private static void awaitLine(Process process, String text) throws Exception {
        var err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = err.readLine()) != null) {
            if (line.contains(text)) return;
            if (System.nanoTime() > deadline) break;
        }
        process.destroyForcibly();
        throw new AssertionError("publish never reached '" + text + "' (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
    }
}
