package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.cli.InProcess;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch with --spill-after: the run's files are those of a fetch that held everything, and no temporary file outlives it. */
class FetchSpillTest {
    @TempDir Path dir;
    private Path source;
    private Path spill;

    @BeforeEach
    void documents() throws Exception {
        // 20,000 versions of 8,000 ids (about 7 MB held): duplicates, equal update times, and a rejected line in 500
        Random random = new Random(7);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add(i % 500 == 0 ? "{\"id\":" : String.format("{\"id\":\"doc-%05d\",\"updated_at\":\"2026-01-01T10:%02d:00Z\",\"x\":%d,\"pad\":\"%s\"}",
                random.nextInt(8_000), random.nextInt(3), random.nextInt(5), "p".repeat(random.nextInt(200))));
        }
        source = Files.write(dir.resolve("documents.ndjson"), lines);
        spill = Files.createDirectories(dir.resolve("spill"));
    }

    private InProcess fetch(String store, String run, String... extra) throws Exception {
        Files.createDirectories(dir.resolve(store));
        List<String> args = new ArrayList<>(List.of("--run-id", run, "--store", dir.resolve(store).toString(), "--source", source.toString(),
            "--data-interval-end", "2026-01-02T00:00:00Z"));
        args.addAll(List.of(extra));
        return InProcess.run(FetchCommand::new, Map.of("SCORELINE_FETCH_SPILL_DIR", spill.toString()), args.toArray(String[]::new));
    }

    private byte[] file(String store, String key) throws Exception {
        return Files.readAllBytes(dir.resolve(store).resolve(key));
    }

    private FetchManifest manifest(String store, RunId run) {
        return StoredJson.value(new FileStore(dir.resolve(store)), Layout.manifest(run, "fetch"), FetchManifest.class).orElseThrow();
    }

    private void assertNoTemporaryFiles() throws Exception {
        try (Stream<Path> left = Files.list(spill)) {
            assertEquals(List.of(), left.toList(), "temporary files left in --spill-dir");
        }
    }

    @Test
    void aSpillingFetchWritesTheFilesOfOneThatHeldEverything() throws Exception {
        RunId run = RunId.parse("spill-1");
        InProcess held = fetch("held", run.value());
        assertEquals(0, held.exitCode(), held::toString);
        InProcess spilled = fetch("spilled", run.value(), "--spill-after", "1MiB");
        assertEquals(0, spilled.exitCode(), spilled::toString);
        assertArrayEquals(file("held", Layout.input(run)), file("spilled", Layout.input(run)));
        assertArrayEquals(file("held", Layout.fetchRejected(run)), file("spilled", Layout.fetchRejected(run)));
        FetchManifest a = manifest("held", run), b = manifest("spilled", run);
        assertEquals(List.of(a.read(), a.duplicates(), a.rejected(), a.output().records()), List.of(b.read(), b.duplicates(), b.rejected(), b.output().records()));
        assertEquals(40, b.rejected());
        assertNoTemporaryFiles();
    }

    @Test
    void temporaryFilesAreDeletedWhenFetchFails() throws Exception {
        RunId run = RunId.parse("spill-2");
        // the run's input cannot be written: a directory with a file in it stands where it goes
        Path blocked = Files.createDirectories(dir.resolve("store").resolve(Layout.input(run)));
        Files.writeString(blocked.resolve("x"), "x");
        InProcess r = fetch("store", run.value(), "--spill-after", "1MiB");
        assertTrue(r.exitCode() != 0, r::toString);
        assertNoTemporaryFiles();
    }

    @Test
    void anUnusableSpillDirectoryOrATinyBudgetIsAUsageError() throws Exception {
        InProcess missing = fetch("store", "spill-3", "--spill-dir", dir.resolve("nowhere").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("nowhere is not a writable directory"), missing::toString);
        InProcess tiny = fetch("store", "spill-3", "--spill-after", "1000");
        assertEquals(2, tiny.exitCode(), tiny::toString);
        assertTrue(tiny.err().contains("--spill-after 1000 bytes is too small"), tiny::toString);
    }
}
