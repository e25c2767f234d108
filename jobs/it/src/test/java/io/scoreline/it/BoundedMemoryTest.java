package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No job's heap grows with the run: fetch spills sorted runs to temporary files past its budget, predict and publish
 * stream. The jars run with small heaps, on the file store (the memory bound is the jobs', not the store's).
 */
class BoundedMemoryTest {
    /**
     * Documents of the full load that goes through all three jobs at -Xmx256m: the 3,000,000, about three times
     * what the heap holds (47 s here at load average 6). SCORELINE_IT_FULL_LOAD_DOCUMENTS sets another size.
     */
    private static final int FULL_LOAD = Integer.parseInt(System.getenv().getOrDefault("SCORELINE_IT_FULL_LOAD_DOCUMENTS", "3000000"));
    private static final Instant END = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir Path dir;

    /**
     * {@code count} versions of ids below {@code ids}, each line about 190 bytes as the demo's, update times spread over a
     * day; as many ids as versions: each id once, in no order (ids in order would spare fetch its table and sort).
     */
    private static Path documents(Path file, int count, int ids, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int[] shuffled = ids == count ? shuffled(count, random) : null;
        long from = END.minusSeconds(86_400).toEpochMilli();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                int id = shuffled != null ? shuffled[i] : random.nextInt(ids);
                w.write(String.format(Locale.ROOT, "{\"id\":\"cust-%08d\",\"updated_at\":\"%s\",\"tenure_months\":%d,\"monthly_charges\":%.2f,"
                    + "\"support_tickets\":%d,\"contract\":\"%s\",\"has_partner\":%b,\"region\":\"%s\"}%n",
                    id, Instant.ofEpochMilli(from + random.nextLong(86_000_000)), random.nextInt(72), 20 + random.nextDouble(100),
                    random.nextInt(6), random.nextBoolean() ? "month-to-month" : "two-year", random.nextBoolean(),
                    List.of("north", "south", "east", "west").get(random.nextInt(4))));
            }
        }
        return file;
    }

    private static int[] shuffled(int count, SplittableRandom random) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = i;
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), swapped = ids[i];
            ids[i] = ids[j];
            ids[j] = swapped;
        }
        return ids;
    }

    private Map<String, String> env(Path store, Path spill) {
        return Map.of("SCORELINE_STORE", store.toString(), "SCORELINE_FETCH_SPILL_DIR", spill.toString(), "SCORELINE_PROGRESS_INTERVAL", "0s");
    }

    private static TestStore fileStore(Path dir) {
        return new TestStore("file", dir.toString(), Map.of("SCORELINE_STORE", dir.toString()));
    }

    private static void assertEmpty(Path spill) throws IOException {
        try (Stream<Path> left = Files.list(spill)) {
            assertEquals(List.of(), left.toList(), "temporary files left behind");
        }
    }

    @Test
    void fetchAtA64MiBHeapWritesWhatItWritesWithAGigabyte() throws Exception {
        // 300,000 versions of 200,000 ids in random order: duplicates within and across the spilled runs
        Path source = documents(dir.resolve("documents.ndjson"), 300_000, 200_000, 11);
        Path spill = Files.createDirectories(dir.resolve("spill"));
        RunId run = RunId.parse("bounded-1");
        for (String heap : List.of("64m", "1g")) {
            Path store = Files.createDirectories(dir.resolve("store-" + heap));
            var r = Jobs.runWithHeap(heap, env(store, spill), "fetch", "--run-id", run.value(), "--source", source.toString(),
                "--data-interval-end", END.toString(), "--mode", "full");
            assertEquals(0, r.exit(), r.toString());
            assertEmpty(spill);
        }
        for (String key : List.of(Layout.input(run), Layout.fetchRejected(run))) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("store-1g").resolve(key)), Files.readAllBytes(dir.resolve("store-64m").resolve(key)), key);
        }
        JsonNode small = Fixtures.json(fileStore(dir.resolve("store-64m")), Layout.manifest(run, "fetch"));
        JsonNode big = Fixtures.json(fileStore(dir.resolve("store-1g")), Layout.manifest(run, "fetch"));
        for (String count : List.of("read", "duplicates", "rejected")) assertEquals(big.path(count), small.path(count), count);
        assertEquals(300_000, small.path("output").path("records").asLong() + small.path("duplicates").asLong(), "every version kept or counted");
    }

    @Test
    void aFullLoadGoesThroughAllThreeJobsAt256MiB() throws Exception {
        Path source = documents(dir.resolve("documents.ndjson"), FULL_LOAD, FULL_LOAD, 12);
        Path store = Files.createDirectories(dir.resolve("store"));
        Path spill = Files.createDirectories(dir.resolve("spill"));
        Fixtures.register(fileStore(store), "v1");
        String run = "full-load";
        var env = env(store, spill);
        var fetched = Jobs.runWithHeap("256m", env, "fetch", "--run-id", run, "--source", source.toString(), "--data-interval-end", END.toString());
        assertEquals(0, fetched.exit(), fetched.toString());
        assertTrue(fetched.err().contains("went to temporary files"), "the run outgrew the heap: fetch must have spilled\n" + fetched);
        assertEmpty(spill);
        var predicted = Jobs.runWithHeap("256m", env, "predict", "--run-id", run, "--model", "churn");
        assertEquals(0, predicted.exit(), predicted.toString());
        var published = Jobs.runWithHeap("256m", env, "publish", "--run-id", run);
        assertEquals(0, published.exit(), published.toString());
        assertEquals(FULL_LOAD, Fixtures.json(fileStore(store), Layout.LATEST_MANIFEST).path("count").asLong());
    }
}
