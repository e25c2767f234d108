package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Past its budget NewestPerId spills sorted runs and merges them: the output is the bytes the in-memory path writes. */
class NewestPerIdSpillTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
    @TempDir Path root;
    private int written;

    /** Versions of 3,000 ids: several per id, update times that often tie, contents that differ. */
    private static List<Document> documents(long seed) {
        return documents(seed, 3_000);
    }

    private static List<Document> documents(long seed, int ids) {
        Random random = new Random(seed);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String id = "id-" + random.nextInt(ids);
            Instant at = T.plusMillis(random.nextInt(4) * 500L);
            docs.add(new Document(id, at, Json.MAPPER.createObjectNode().put("x", random.nextInt(3)).put("pad", "p".repeat(random.nextInt(40)))));
        }
        return docs;
    }

    private record Output(byte[] bytes, long duplicates, int spills) {}

    private Output write(long spillAfter, Consumer<NewestPerId> offers) throws Exception {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        try (TempFiles temp = new TempFiles(tmp)) {
            NewestPerId newest = new NewestPerId(temp, spillAfter);
            offers.accept(newest);
            FileStore store = new FileStore(Files.createDirectories(root.resolve("store")));
            String key = "out-" + written++ + ".ndjson.gz";
            NdjsonWriter.write(store, key, newest::writeSorted);
            return new Output(Files.readAllBytes(root.resolve("store").resolve(key)), newest.duplicates(), newest.spills());
        } finally {
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "temporary files left behind");
            }
        }
    }

    private static Consumer<NewestPerId> offering(List<Document> docs) {
        return newest -> docs.forEach(newest::offer);
    }

    @Test
    void spilledRunsMergeToTheBytesTheInMemoryPathWrites() throws Exception {
        List<Document> docs = documents(1);
        Output inMemory = write(Long.MAX_VALUE, offering(docs));
        assertEquals(0, inMemory.spills());
        for (long budget : new long[] {200_000, 20_000}) {
            Output spilled = write(budget, offering(docs));
            assertTrue(spilled.spills() > 1, "budget " + budget + " spilled");
            assertArrayEquals(inMemory.bytes(), spilled.bytes(), "budget " + budget);
            assertEquals(inMemory.duplicates(), spilled.duplicates(), "budget " + budget);
        }
    }

    @Test
    void moreRunsThanAreReadAtOnceAreMergedOnTheWay() throws Exception {
        List<Document> docs = documents(4).subList(0, 1_000);
        Output inMemory = write(Long.MAX_VALUE, offering(docs));
        Output spilled = write(1, offering(docs));  // a run per document
        assertEquals(docs.size(), spilled.spills());
        assertTrue(spilled.spills() > 2 * NewestPerId.MAX_RUNS);
        assertArrayEquals(inMemory.bytes(), spilled.bytes());
        assertEquals(inMemory.duplicates(), spilled.duplicates());
    }

    @Test
    void theWinnerDoesNotDependOnArrivalOrderOrOnWhichRunHeldIt() throws Exception {
        List<Document> docs = documents(2);
        Output expected = write(Long.MAX_VALUE, offering(docs));
        for (long seed = 0; seed < 3; seed++) {
            List<Document> shuffled = new ArrayList<>(docs);
            Collections.shuffle(shuffled, new Random(seed));
            Output spilled = write(30_000, offering(shuffled));
            assertArrayEquals(expected.bytes(), spilled.bytes(), "order " + seed);
            assertEquals(expected.duplicates(), spilled.duplicates());
        }
    }

    /**
     * An export in id order is held as it came, until an id out of order (here the other versions of ids already held,
     * older and newer) sends the rest to the table: the same bytes and duplicates as in any other order. More ids in
     * order than a short run, so that they stay where they are and the write merges them with the table.
     */
    @Test
    void idsInOrderThenOutOfOrderGiveTheBytesOfAnyOtherOrder() throws Exception {
        List<Document> docs = documents(5, 8_000);
        Set<String> seen = new HashSet<>();
        List<Document> ascending = new ArrayList<>(), others = new ArrayList<>();
        for (Document d : docs) (seen.add(d.id()) ? ascending : others).add(d);
        ascending.sort(Comparator.comparing(Document::id));
        assertTrue(ascending.size() > NewestPerId.SHORT_RUN, ascending.size() + " ids in order");
        ascending.addAll(others);
        Output expected = write(Long.MAX_VALUE, offering(docs));
        for (long budget : new long[] {Long.MAX_VALUE, 200_000, 20_000}) {
            Output out = write(budget, offering(ascending));
            assertArrayEquals(expected.bytes(), out.bytes(), "budget " + budget);
            assertEquals(expected.duplicates(), out.duplicates(), "budget " + budget);
        }
    }

    @Test
    void equalUpdateTimesInDifferentRunsTieBreakByContent() throws Exception {
        Document red = new Document("x", T, Json.MAPPER.createObjectNode().put("color", "red"));
        Document blue = new Document("x", T, Json.MAPPER.createObjectNode().put("color", "blue"));
        Output redFirst = write(1, newest -> { newest.offer(red); newest.offer(blue); });
        Output blueFirst = write(1, newest -> { newest.offer(blue); newest.offer(red); });
        Output inMemory = write(Long.MAX_VALUE, newest -> { newest.offer(blue); newest.offer(red); });
        assertEquals(2, redFirst.spills());
        assertArrayEquals(inMemory.bytes(), redFirst.bytes());
        assertArrayEquals(inMemory.bytes(), blueFirst.bytes());
    }

    @Test
    void duplicatesAcrossRunsAreCountedOnceEach() throws Exception {
        // a in three runs, b in one: two older versions dropped, whichever run held them
        Output out = write(1, newest -> {
            newest.offer(new Document("a", T, Json.MAPPER.createObjectNode()));
            newest.offer(new Document("b", T, Json.MAPPER.createObjectNode()));
            newest.offer(new Document("a", T.plusSeconds(2), Json.MAPPER.createObjectNode()));
            newest.offer(new Document("a", T.plusSeconds(1), Json.MAPPER.createObjectNode()));
        });
        assertEquals(2, out.duplicates());
        assertEquals(4, out.spills());
    }

    @Test
    void slicesOfferingConcurrentlyWhileItSpillsLoseNothing() throws Exception {
        List<Document> docs = documents(3);
        Output expected = write(Long.MAX_VALUE, offering(docs));
        Output concurrent = write(20_000, newest -> {
            Thread even = Thread.ofPlatform().start(() -> { for (int i = 0; i < docs.size(); i += 2) newest.offer(docs.get(i)); });
            Thread odd = Thread.ofPlatform().start(() -> { for (int i = 1; i < docs.size(); i += 2) newest.offer(docs.get(i)); });
            try {
                even.join();
                odd.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(concurrent.spills() > 1);
        assertArrayEquals(expected.bytes(), concurrent.bytes());
        assertEquals(expected.duplicates(), concurrent.duplicates());
    }
}
