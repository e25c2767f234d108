package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Publishes killed or beaten at their most delicate instants, on the file store. The deterministic stop needs no hook
 * in the jobs: the file store serializes conditional writes (latest/manifest.json, the watermark) through one lock
 * file, so while the test holds that lock a publish that has already copied its snapshot to latest/ waits right
 * before writing the manifest; the test sees the copy land, then kills it or changes the manifest under it.
 */
class CrashSafetyTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void publishKilledBetweenSnapshotCopyAndManifestLeavesAConsistentLatest() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = twoRunsReady(store);
        String oldSha = Fixtures.sha256(store, Layout.LATEST_PREDICTIONS);

        Process publish;
        try (FileLock held = holdManifestLock(store)) {
            publish = Jobs.start(store.env(), "publish", "--run-id", "run-2");
            awaitCopied(store, publish, "run-2");
            publish.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertTrue(publish.waitFor(30, TimeUnit.SECONDS));
        }

        // The backend's view right after the crash: the manifest still names run 1, and its snapshot matches it.
        JsonNode manifest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-1", manifest.path("run_id").asText());
        assertEquals(manifest.path("sha256").asText(), Fixtures.sha256(store, manifest.path("snapshot").asText()));
        assertNotEquals(oldSha, Fixtures.sha256(store, Layout.LATEST_PREDICTIONS), "the kill came after the copy");
        assertEquals(300, Fixtures.records(store, Layout.LATEST_PREDICTIONS).size(), "the copy is whole");

        // Airflow's retry of the task finishes the job.
        assertEquals(0, p.publish("run-2").exit());
        JsonNode after = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-2", after.path("run_id").asText());
        assertEquals(300, after.path("count").asLong());
        assertEquals(after.path("sha256").asText(), Fixtures.sha256(store, Layout.LATEST_PREDICTIONS));
    }

    /**
     * A publish killed after promoting its run but before its last writes (watermark, last_good, publish.json): latest/
     * already serves the run, so fetch and predict refuse it, and publish's retry finishes it without rebuilding the
     * snapshot latest/manifest.json names. This is that state, built exactly from a whole publish.
     */
    @Test
    void publishKilledAfterPromotingIsFinishedByItsRetryWithoutRebuildingTheSnapshot() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = twoRunsReady(store);
        Path root = Path.of(store.uri());
        byte[] lastGood = Files.readAllBytes(root.resolve(Layout.LAST_GOOD)), watermark = Files.readAllBytes(root.resolve(Layout.WATERMARK));
        assertEquals(0, p.publish("run-2").exit());
        Path manifest = root.resolve("runs/run-2/publish.json");
        byte[] published = Files.readAllBytes(manifest);
        Files.delete(manifest);
        Files.write(root.resolve(Layout.LAST_GOOD), lastGood);
        Files.write(root.resolve(Layout.WATERMARK), watermark);
        var snapshot = Files.getLastModifiedTime(root.resolve("runs/run-2/snapshot.ndjson.gz"));
        String servedAt = Fixtures.json(store, Layout.LATEST_MANIFEST).path("published_at").asText();

        var refetch = p.fetch("run-2", T0.plusSeconds(300));
        assertEquals(2, refetch.exit(), "latest/ serves it: published\n" + refetch);
        var retry = p.publish("run-2");
        assertEquals(0, retry.exit(), retry.toString());
        assertEquals("finished publishing run run-2, which latest/ already served", retry.out().strip());
        assertEquals(snapshot, Files.getLastModifiedTime(root.resolve("runs/run-2/snapshot.ndjson.gz")), "not rewritten");
        assertArrayEquals(published, Files.readAllBytes(manifest), "the same publish.json as the uninterrupted publish");
        assertEquals(servedAt, Fixtures.json(store, "runs/run-2/publish.json").path("published_at").asText());
        assertEquals("run-2", Fixtures.json(store, Layout.LAST_GOOD).path("run_id").asText());
        assertEquals("run-2", Fixtures.json(store, Layout.WATERMARK).path("run_id").asText());
    }

    /** Issue 13: the loser of two overlapping publishes left its never-published copy in latest/ for good. */
    @Test
    void aPublishThatLosesTheRaceLeavesTheWinnersCopyInLatest() throws Exception {
        TestStore store = TestStore.file();
        twoRunsReady(store);
        Path root = Path.of(store.uri());
        byte[] before = Files.readAllBytes(root.resolve(Layout.LATEST_MANIFEST));

        Process loser;
        try (FileLock held = holdManifestLock(store)) {
            loser = Jobs.start(store.env(), "publish", "--run-id", "run-2");
            awaitCopied(store, loser, "run-2");
            // the winner commits its manifest first (here: run 1 promoted again, e.g. by a fallback)
            String winner = new String(before, java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\"published_at\"\\s*:\\s*\"[^\"]*\"", "\"published_at\":\"" + Instant.now() + "\"");
            Path temp = Files.writeString(root.resolve("latest/.winner"), winner);
            Files.move(temp, root.resolve(Layout.LATEST_MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        }
        assertTrue(loser.waitFor(120, TimeUnit.SECONDS));
        assertEquals(4, loser.exitValue(), "the loser is told another publish ran at the same time");

        JsonNode manifest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-1", manifest.path("run_id").asText());
        assertEquals(manifest.path("sha256").asText(), Fixtures.sha256(store, Layout.LATEST_PREDICTIONS),
            "latest/predictions holds what the winner's manifest names, not the loser's snapshot");
    }

    /**
     * Issue 13: a kill between the watermark commit and state/last_good.json left last_good one run behind; the
     * fallback then moved latest/ back while the watermark stayed ahead. This is that state, built exactly.
     */
    @Test
    void fallbackAfterAKillBetweenWatermarkAndLastGoodKeepsWhatIsPublished() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = twoRunsReady(store);
        Path lastGood = Path.of(store.uri()).resolve(Layout.LAST_GOOD);
        byte[] runOne = Files.readAllBytes(lastGood);
        assertEquals(0, p.publish("run-2").exit());
        Files.write(lastGood, runOne); // as if killed right after the watermark moved to run 2

        var fallback = Jobs.run(store.env(), "publish", "fallback", "--run-id", "run-3", "--reason", "fetch killed");
        assertEquals(0, fallback.exit(), fallback.toString());
        JsonNode latest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-2", latest.path("run_id").asText(), "latest/ agrees with the watermark, which is at run 2");
        assertEquals("run-2", Fixtures.json(store, Layout.WATERMARK).path("run_id").asText());
        assertTrue(latest.path("stale").asBoolean());
        assertEquals(300, latest.path("count").asLong());
        assertEquals(latest.path("sha256").asText(), Fixtures.sha256(store, Layout.LATEST_PREDICTIONS));
    }

    /** Issue 13: the DAG's fallback after an older run's refused publish (exit 6) marked the newest data stale. */
    @Test
    void fallbackForARefusedOlderRunMarksNothingStale() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = twoRunsReady(store);
        assertEquals(0, p.publish("run-2").exit());
        assertEquals(0, p.fetch("run-0", T0.minusSeconds(300)).exit());
        assertEquals(0, p.predict("run-0").exit());
        assertEquals(6, p.publish("run-0").exit(), "an older run is refused");
        String published = Fixtures.json(store, Layout.LATEST_MANIFEST).path("published_at").asText();

        var fallback = Jobs.run(store.env(), "publish", "fallback", "--run-id", "run-0", "--reason", "publish exited 6");
        assertEquals(0, fallback.exit(), fallback.toString());
        JsonNode latest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-2", latest.path("run_id").asText());
        assertTrue(!latest.path("stale").asBoolean(), "run 2 is newer than the refused run and still fresh");
        assertEquals(published, latest.path("published_at").asText());
    }

    /** Issue 13: republishing the run latest/ serves moved published_at, so the data looked fresher than it is. */
    @Test
    void republishingAPublishedRunKeepsItsPublicationTime() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = twoRunsReady(store);
        String first = Fixtures.json(store, Layout.LATEST_MANIFEST).path("published_at").asText();
        assertEquals(0, p.publish("run-1").exit());
        JsonNode again = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-1", again.path("run_id").asText());
        assertEquals(first, again.path("published_at").asText());
    }

    /** run 1 published (200 documents); run 2 fetched and predicted (100 more), not published. */
    private static Pipeline twoRunsReady(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 200, T0.minusSeconds(600), 3);
        p.cycle("run-1", T0);
        Fixtures.appendDocuments(p.source, 200, 100, T0.plusSeconds(60), 3);
        assertEquals(0, p.fetch("run-2", T0.plusSeconds(300)).exit());
        assertEquals(0, p.predict("run-2").exit());
        return p;
    }

    /** The file store's lock for conditional writes (see FileStore.put); held, it stops every manifest write. */
    private static FileLock holdManifestLock(TestStore store) throws Exception {
        FileChannel channel = FileChannel.open(Path.of(store.uri()).resolve(".scoreline.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return channel.lock(); // closing the lock releases it; the channel goes with the test's temp directory
    }

    /** Waits (on the store's state, not on a clock) until the run's snapshot has been copied to latest/. */
    private static void awaitCopied(TestStore store, Process publish, String run) throws Exception {
        Path root = Path.of(store.uri());
        Path manifest = root.resolve("runs/" + run + "/snapshot.json");
        BooleanSupplier copied = () -> {
            try {
                if (!Files.exists(manifest)) return false;
                String sha = Fixtures.json(store, "runs/" + run + "/snapshot.json").path("snapshot").path("sha256").asText();
                return Files.exists(root.resolve(Layout.LATEST_PREDICTIONS))
                    && sha.equals(Fixtures.sha256(store, Layout.LATEST_PREDICTIONS));
            } catch (RuntimeException e) {
                return false;
            }
        };
        while (!copied.getAsBoolean()) {
            if (!publish.isAlive()) throw new AssertionError("publish ended before its copy: exit " + publish.exitValue()
                + "\n" + new String(publish.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            Thread.sleep(50);
        }
    }
}
