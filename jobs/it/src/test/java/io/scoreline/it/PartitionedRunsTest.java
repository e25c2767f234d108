package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.RunId;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Precondition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Partitioned runs, as jars: fetch and predict --partition i/3 each write their own part, publish checks every part and
 * merges them; latest/ is byte for byte what the unpartitioned run publishes, and a part that is missing, of another
 * window or modified is refused with exit 6 and nothing published.
 */
class PartitionedRunsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(300);
    static final int P = 3;

    static Stream<EsServer> servers() {
        return EsServer.all();
    }

    /**
     * fetch for partition 0 (which writes the run's plan), then the others at once, then predict for every partition at
     * once, then publish. Not all three at once: in one of three runs two concurrent partitions each wrote a plan on the
     * test S3 server and publish refused the run (exit 6). The test server checks If-None-Match and then stores, not
     * atomically, so concurrent create-only PUTs can both succeed there (docs/s3.md, "Servers without conditional
     * writes"); real S3's is atomic, and the file store's holds a lock. RunPlansTest covers a lost race.
     */
    static void partitionedCycle(Pipeline p, String run, Instant end, String... fetchExtra) {
        fetchParts(p, run, end, fetchExtra);
        publishParts(p, run);
    }

    static void fetchParts(Pipeline p, String run, Instant end, String... fetchExtra) {
        fetchPart(p, run, end, 0, fetchExtra);
        IntStream.range(1, P).parallel().forEach(i -> fetchPart(p, run, end, i, fetchExtra));
    }

    static void publishParts(Pipeline p, String run) {
        IntStream.range(0, P).parallel().forEach(i -> predictPart(p, run, i));
        Jobs.Result published = p.publish(run);
        assertEquals(0, published.exit(), published.toString());
    }

    static void fetchPart(Pipeline p, String run, Instant end, int i, String... extra) {
        Jobs.Result r = p.fetch(run, end, concat(extra, "--partition", i + "/" + P));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("fetched", r.out().split(" ")[0], r.out());
    }

    static void predictPart(Pipeline p, String run, int i) {
        Jobs.Result r = p.predict(run, "--partition", i + "/" + P);
        assertEquals(0, r.exit(), r.toString());
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static void assertSameLatest(TestStore whole, TestStore parts, long count) {
        byte[] expected = Fixtures.bytes(whole, Layout.LATEST_PREDICTIONS);
        assertArrayEquals(expected, Fixtures.bytes(parts, Layout.LATEST_PREDICTIONS), "latest/ byte for byte as the unpartitioned run's");
        JsonNode a = Fixtures.json(whole, Layout.LATEST_MANIFEST), b = Fixtures.json(parts, Layout.LATEST_MANIFEST);
        assertEquals(count, b.path("count").asLong());
        for (String field : List.of("run_id", "sha256", "count", "bytes", "model_version", "data_interval_end", "stale")) {
            assertEquals(a.path(field), b.path(field), field);
        }
    }

    @Test
    void fileSourceInThreePartitionsPublishesWhatOneRunPublishes() throws Exception {
        Pipeline whole = new Pipeline(TestStore.file()), parts = new Pipeline(TestStore.s3());
        for (Pipeline p : List.of(whole, parts)) {
            Fixtures.appendDocuments(p.source, 0, 300, T0.minusSeconds(3600), 2);
            Fixtures.appendRaw(p.source, "{\"updated_at\":\"2026-11-25T09:00:00Z\"}\nnot json\n");  // two rejects, counted once
        }
        whole.cycle("run-1", T0);
        partitionedCycle(parts, "run-1", T0);
        assertSameLatest(whole.store, parts.store, 300);
        assertTrue(parts.store.list("runs/run-1/").containsAll(List.of("runs/run-1/parts/plan.json",
            "runs/run-1/parts/2/input.ndjson.gz", "runs/run-1/parts/2/predictions.ndjson.gz", "runs/run-1/snapshot.ndjson.gz")));
        assertFalse(parts.store.list("runs/run-1/").contains("runs/run-1/input.ndjson.gz"));

        // cycle 2: new and updated documents merge from three parts into the previous snapshot
        for (Pipeline p : List.of(whole, parts)) {
            Fixtures.appendDocuments(p.source, 300, 50, T0.plusSeconds(60), 2);
            Fixtures.appendDocuments(p.source, 0, 100, T0.plusSeconds(120), 70);
        }
        whole.cycle("run-2", T1);
        partitionedCycle(parts, "run-2", T1);
        assertSameLatest(whole.store, parts.store, 350);
        JsonNode published = Fixtures.json(parts.store, Layout.manifest(RunId.parse("run-2"), "publish"));
        assertEquals(50, published.path("added").asLong());
        assertEquals(T1.minusSeconds(30).toString(), Fixtures.json(parts.store, Layout.WATERMARK).path("up_to").asText());
        Jobs.Result rerun = parts.predict("run-2", "--partition", "1/" + P);  // a partition of a published run is history too
        assertEquals(2, rerun.exit(), rerun.toString());
        assertTrue(rerun.err().contains("run run-2 was published at "), rerun.err());

        // publish.jar runs counts a partitioned run's parts as one run
        JsonNode wholeRuns = runs(whole.store), partsRuns = runs(parts.store);
        for (String field : List.of("run_id", "mode", "read", "scored", "rejected", "published", "model_version", "result")) {
            assertEquals(wholeRuns.findValuesAsText(field), partsRuns.findValuesAsText(field), field);
        }
    }

    private static JsonNode runs(TestStore store) throws IOException {
        Jobs.Result r = Jobs.run(store.env(), "publish", "runs", "--json");
        assertEquals(0, r.exit(), r.toString());
        return io.scoreline.core.records.Json.MAPPER.readTree(r.out()).path("runs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void elasticsearchSlicesOfOnePointInTimePublishWhatOneRunPublishes(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server)) {
            index.index(Fixtures.documents(0, 400, T0.minusSeconds(3600), 2), true);
            Pipeline whole = new Pipeline(TestStore.file(), index.sourceOptions()), parts = new Pipeline(TestStore.file(), index.sourceOptions());
            whole.cycle("run-1", T0);
            fetchParts(parts, "run-1", T0, "--slices", "2");  // six slices of one point-in-time, two per partition

            // a retried partition rereads its own slices of the same point-in-time: the same bytes (before publish:
            // once published, the run is history and fetch refuses it)
            String input = Layout.input(RunId.parse("run-1"), new Partition(1, P));
            String before = Fixtures.sha256(parts.store, input);
            index.index(Fixtures.documents(1000, 50, T0.minusSeconds(600), 2), true);  // indexed since: not in the point-in-time
            fetchPart(parts, "run-1", T0, 1, "--slices", "2");
            assertEquals(before, Fixtures.sha256(parts.store, input));

            publishParts(parts, "run-1");
            assertSameLatest(whole.store, parts.store, 400);

            JsonNode plan = Fixtures.json(parts.store, Layout.plan(RunId.parse("run-1")));
            assertFalse(plan.path("point_in_time").asText().isEmpty(), plan.toString());
            long read = 0;
            for (int i = 0; i < P; i++) {
                JsonNode fetched = Fixtures.json(parts.store, Layout.manifest(RunId.parse("run-1"), new Partition(i, P), "fetch"));
                assertEquals(plan.path("id"), fetched.path("part").path("plan"));
                read += fetched.path("output").path("records").asLong();
            }
            assertEquals(400, read, "each document in exactly one part");
        }
    }

    @Test
    void aMissingForeignOrModifiedPartIsRefusedAndARerunPartitionRepairsIt() throws Exception {
        Pipeline p = new Pipeline(TestStore.file());
        Fixtures.appendDocuments(p.source, 0, 200, T0.minusSeconds(3600), 2);
        for (int i = 0; i < P; i++) fetchPart(p, "run-a", T0, i);
        for (int i = 0; i < P - 1; i++) predictPart(p, "run-a", i);
        RunId run = RunId.parse("run-a");

        Jobs.Result missing = p.publish("run-a");
        assertRefused(p, missing, "publish: error: run run-a partition 2/3 has no predict manifest (runs/run-a/parts/2/predict.json):"
            + " run predict --partition 2/3 for this run, then publish again");
        predictPart(p, "run-a", 2);

        // partition 1 of another run, with another window, copied in
        fetchPart(p, "run-b", T1, 1);
        predictPart(p, "run-b", 1);
        String ownPart = Fixtures.sha256(p.store, Layout.predictions(run, new Partition(1, P)));
        try (ObjectStore store = p.store.open()) {
            for (String file : List.of("fetch.json", "input.ndjson.gz", "predict.json", "predictions.ndjson.gz")) {
                store.copy("runs/run-b/parts/1/" + file, "runs/run-a/parts/1/" + file);
            }
        }
        Jobs.Result foreign = p.publish("run-a");
        assertRefused(p, foreign, "publish: error: run run-a partition 1/3 was fetched for another plan (window (-inf, "
            + T1.minusSeconds(30) + "], partition 1/3) than the run's (window (-inf, " + T0.minusSeconds(30)
            + "]); rerun fetch and predict --partition 1/3 for this run");
        fetchPart(p, "run-a", T0, 1);
        predictPart(p, "run-a", 1);
        assertEquals(ownPart, Fixtures.sha256(p.store, Layout.predictions(run, new Partition(1, P))), "a rerun partition writes the same bytes");

        String key = Layout.predictions(run, new Partition(0, P));
        String text = new String(gunzip(Fixtures.bytes(p.store, key)), StandardCharsets.UTF_8);
        try (ObjectStore store = p.store.open()) {
            store.put(key, gzip(text.replaceFirst("\"model_version\":\"v1\"", "\"model_version\":\"v0\"")), Precondition.NONE);
        }
        Jobs.Result modified = p.publish("run-a");
        assertRefused(p, modified, "publish: error: '" + key + "' does not match its manifest");
        predictPart(p, "run-a", 0);

        String scored2 = Layout.predictions(run, new Partition(2, P));
        java.nio.file.Files.delete(java.nio.file.Path.of(p.store.uri(), scored2));  // a file store: the part's predictions file is gone
        assertRefused(p, p.publish("run-a"), "publish: error: run run-a partition 2/3: " + scored2 + " is missing; rerun predict"
            + " --partition 2/3 for this run, then publish again");
        predictPart(p, "run-a", 2);

        Jobs.Result badPartition = p.predict("run-a", "--partition", "3/2");
        assertEquals(2, badPartition.exit(), badPartition.toString());
        assertEquals(1, badPartition.errLines().size(), badPartition.toString());

        Jobs.Result published = p.publish("run-a");
        assertEquals(0, published.exit(), published.toString());
        assertEquals(200, Fixtures.json(p.store, Layout.LATEST_MANIFEST).path("count").asLong());
    }

    private static void assertRefused(Pipeline p, Jobs.Result r, String message) {
        assertEquals(6, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().getFirst().startsWith(message), r.errLines().getFirst());
        assertFalse(p.store.list("latest/").iterator().hasNext(), "nothing published");
        assertFalse(p.store.list("state/").contains(Layout.WATERMARK), "the watermark did not move");
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(String text) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
