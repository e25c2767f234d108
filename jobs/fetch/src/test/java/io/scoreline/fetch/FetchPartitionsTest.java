package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.cli.InProcess;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.RunPlan;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.FileStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** fetch --partition i/P in-process on a file source: the plan, the id hash, and the refusals. */
class FetchPartitionsTest {
    private static final RunId RUN = RunId.parse("r1");
    private static final String END = "2026-01-01T11:00:00Z";

    @TempDir Path dir;
    private Path source;

    @BeforeEach
    void documents() throws IOException {
        Files.createDirectories(dir.resolve("store"));
        source = dir.resolve("documents.ndjson");
        List<String> lines = new ArrayList<>();
        IntStream.range(0, 200).forEach(i -> lines.add("{\"id\":\"d%03d\",\"updated_at\":\"2026-01-01T10:%02d:00Z\",\"x\":%d}".formatted(i, i % 60, i)));
        lines.add("{\"id\":\"d007\",\"updated_at\":\"2026-01-01T09:00:00Z\",\"x\":-1}");  // an older duplicate
        lines.add("{\"updated_at\":\"2026-01-01T10:00:00Z\"}");  // no id: rejected once, by partition 0
        lines.add("not json");
        Files.write(source, lines);
    }

    private FileStore store() {
        return new FileStore(dir.resolve("store"));
    }

    private InProcess fetch(String... extra) {
        Map<String, String> env = Map.of("SCORELINE_STORE", "file://" + dir.resolve("store"), "SCORELINE_FETCH_SOURCE", source.toString());
        List<String> args = new ArrayList<>(List.of("--run-id", RUN.value()));
        if (!List.of(extra).contains("--data-interval-end")) args.addAll(List.of("--data-interval-end", END));
        args.addAll(List.of(extra));
        return InProcess.run(FetchCommand::new, env, args.toArray(String[]::new));
    }

    private List<String> lines(String key) throws Exception {
        List<String> out = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store(), key)) {
            for (String line; (line = reader.next()) != null; ) out.add(line);
        }
        return out;
    }

    private FetchManifest manifest(Partition part) {
        return StoredJson.value(store(), Layout.manifest(RUN, part, "fetch"), FetchManifest.class).orElseThrow();
    }

    @Test
    void partitionsSplitTheIdsOfOneFetchUnderOnePlan() throws Exception {
        InProcess whole = fetch();
        assertEquals(0, whole.exitCode(), whole::toString);
        List<String> all = lines(Layout.input(RUN));
        FetchManifest one = manifest(Partition.ONE);
        assertNull(one.part(), "an unpartitioned run's manifest is as before");
        assertFalse(new String(store().read(Layout.manifest(RUN, "fetch"), 1 << 20).orElseThrow().bytes()).contains("\"part\""));

        List<String> union = new ArrayList<>();
        long read = 0, rejected = 0, duplicates = 0;
        for (int i = 0; i < 3; i++) {
            Partition part = new Partition(i, 3);
            // a later partition gives another end (cron: "now"); the plan's window wins
            InProcess r = fetch("--partition", part.toString(), "--data-interval-end", i == 0 ? END : "2026-01-01T11:07:00Z");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("fetched %d documents into runs/r1/parts/%d/input.ndjson.gz".formatted(manifest(part).output().records(), i),
                r.out().strip());
            for (String line : lines(Layout.input(RUN, part))) {
                assertTrue(part.owns(Json.MAPPER.readTree(line).get("id").asText()), line);
                union.add(line);
            }
            FetchManifest m = manifest(part);
            assertEquals(one.window(), m.window());
            assertEquals(one.dataIntervalEnd(), m.dataIntervalEnd());
            assertEquals(new FetchManifest.Part(i, 3, plan().id()), m.part());
            read += m.read();
            rejected += m.rejected();
            duplicates += m.duplicates();
        }
        union.sort(null);
        assertEquals(all, union, "the parts hold exactly the unpartitioned run's documents");
        assertEquals(one.read(), read);
        assertEquals(one.rejected(), rejected);
        assertEquals(2, manifest(new Partition(0, 3)).rejected(), "documents without an id are partition 0's");
        assertEquals(one.duplicates(), duplicates);
        assertEquals(3, plan().partitions());
        assertNull(plan().pointInTime(), "files need no shared view");
    }

    @Test
    void aRerunOfOnePartitionWritesTheSameBytes() throws Exception {
        assertEquals(0, fetch("--partition", "1/3").exitCode());
        byte[] first = store().read(Layout.input(RUN, new Partition(1, 3)), 1 << 20).orElseThrow().bytes();
        String plan = plan().id();
        assertEquals(0, fetch("--partition", "1/3", "--data-interval-end", "2026-01-01T12:00:00Z").exitCode());
        assertEquals(plan, plan().id(), "the plan is written once");
        assertTrue(java.util.Arrays.equals(first, store().read(Layout.input(RUN, new Partition(1, 3)), 1 << 20).orElseThrow().bytes()));
    }

    @Test
    void aPartitionOfAnotherCountOrModeIsAUsageError() {
        assertEquals(0, fetch("--partition", "0/3").exitCode());
        InProcess other = fetch("--partition", "1/4");
        assertEquals(2, other.exitCode(), other::toString);
        assertEquals("fetch: error: run r1 is planned with 3 partitions (runs/r1/parts/plan.json), not 4: give --partition i/3,"
            + " or use a new run id", other.err().strip());
        InProcess whole = fetch();
        assertEquals(2, whole.exitCode(), whole::toString);
        assertEquals("fetch: error: run r1 is a partitioned run (runs/r1/parts/plan.json): give --partition i/P as its other"
            + " partitions do, or use a new run id", whole.err().strip());
        InProcess full = fetch("--partition", "1/3", "--mode", "full");
        assertEquals(2, full.exitCode(), full::toString);
        assertTrue(full.err().strip().startsWith("fetch: error: run r1 is planned with --mode incremental"), full.err());
        assertFalse(store().exists(Layout.input(RUN, new Partition(1, 3))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/0", "3/2", "abc"})
    void aBadPartitionIsOneLineAndExit2(String value) {
        InProcess r = fetch("--partition", value);
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("invalid partition") && r.err().contains("0 <= i < P"), r.err());
        assertFalse(store().exists(Layout.plan(RUN)));
    }

    @Test
    void moreSlicesOfOnePointInTimeThanElasticsearchAllowsIsAUsageError() {
        InProcess r = fetch("--es-url", "http://127.0.0.1:9", "--index", "items", "--partition", "0/512", "--slices", "4");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("fetch: error: --partition 0/512 with --slices 4 makes 2048 slices of one point-in-time; Elasticsearch allows"
            + " 1024: use fewer partitions or --slices", r.err().strip());
        assertFalse(store().exists(Layout.plan(RUN)));
    }

    @Test
    void theEnvironmentGivesThePartitionToo() {
        Map<String, String> env = Map.of("SCORELINE_STORE", "file://" + dir.resolve("store"), "SCORELINE_FETCH_SOURCE", source.toString(),
            "SCORELINE_FETCH_PARTITION", "2/3");
        InProcess r = InProcess.run(FetchCommand::new, env, "--run-id", RUN.value(), "--data-interval-end", END);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(store().exists(Layout.input(RUN, new Partition(2, 3))));
    }

    private RunPlan plan() {
        return StoredJson.value(store(), Layout.plan(RUN), RunPlan.class).orElseThrow();
    }
}
