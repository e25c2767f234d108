package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.FileStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlapping windows deliver duplicates: the newest version of each id wins, whatever order they arrive in. */
class NewestPerIdTest {
    private static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final Instant T3 = T1.plusSeconds(120);
    @TempDir Path root;

    private static Document doc(String id, Instant at) {
        return new Document(id, at, Json.MAPPER.createObjectNode().put("version", at.toString()));
    }

    private NewestPerId inMemory() {
        return new NewestPerId(new TempFiles(root), Long.MAX_VALUE);
    }

    private List<Document> written(NewestPerId newest) throws Exception {
        FileStore store = new FileStore(root);
        OutputFile file = NdjsonWriter.write(store, "runs/r/input.ndjson.gz", newest::writeSorted);
        List<Document> docs = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store, file.key())) {
            for (String line; (line = reader.next()) != null; ) docs.add(Json.MAPPER.readValue(line, Document.class));
        }
        assertEquals(docs.size(), file.records());
        return docs;
    }

    @Test
    void newestWinsInAnyArrivalOrder() throws Exception {
        for (List<Instant> order : List.of(List.of(T1, T2, T3), List.of(T3, T2, T1), List.of(T2, T3, T1), List.of(T1, T3, T2))) {
            NewestPerId newest = inMemory();
            order.forEach(t -> newest.offer(doc("a", t)));
            List<Document> out = written(newest);
            assertEquals(List.of(doc("a", T3)), out, order::toString);
            assertEquals(2, newest.duplicates(), order::toString);  // final once written
        }
    }

    @Test
    void duplicatesAreCountedPerExtraVersion() throws Exception {
        NewestPerId newest = inMemory();
        newest.offer(doc("a", T1));
        newest.offer(doc("b", T1));
        newest.offer(doc("a", T2));
        newest.offer(doc("a", T1));
        newest.offer(doc("c", T3));
        assertEquals(3, written(newest).size());
        assertEquals(2, newest.duplicates());
    }

    @Test
    void writtenSortedById() throws Exception {
        NewestPerId newest = inMemory();
        for (String id : List.of("b", "a", "10", "9", "c", "B", "a-1")) newest.offer(doc(id, T1));
        newest.offer(doc("b", T2));
        List<String> ids = written(newest).stream().map(Document::id).toList();
        assertEquals(List.of("10", "9", "B", "a", "a-1", "b", "c"), ids);
    }

    @Test
    void keepsTheWholeNewestDocument() throws Exception {
        NewestPerId newest = inMemory();
        ObjectNode features = Json.MAPPER.createObjectNode().put("price", 3.5).put("color", "red");
        newest.offer(new Document("x", T2, features));
        newest.offer(doc("x", T1));
        assertEquals(List.of(new Document("x", T2, features)), written(newest));
    }

    @Test
    void equalUpdateTimesGiveTheSameWinnerInAnyOrder() throws Exception {
        Document red = new Document("x", T1, Json.MAPPER.createObjectNode().put("color", "red"));
        Document blue = new Document("x", T1, Json.MAPPER.createObjectNode().put("color", "blue"));
        NewestPerId redFirst = inMemory();
        redFirst.offer(red);
        redFirst.offer(blue);
        NewestPerId blueFirst = inMemory();
        blueFirst.offer(blue);
        blueFirst.offer(red);
        assertEquals(written(redFirst), written(blueFirst));
        assertEquals(1, blueFirst.duplicates());
    }

    @Test
    void slicesOfferingConcurrentlyKeepTheNewestOfEachId() throws Exception {
        NewestPerId newest = inMemory();
        int ids = 20_000;
        Runnable older = () -> { for (int i = 0; i < ids; i++) newest.offer(doc("id-" + i, T1)); };
        Runnable newer = () -> { for (int i = ids - 1; i >= 0; i--) newest.offer(doc("id-" + i, T2)); };
        Thread a = Thread.ofPlatform().start(older), b = Thread.ofPlatform().start(newer);
        a.join();
        b.join();
        List<Document> out = written(newest);
        assertEquals(ids, newest.duplicates());
        assertEquals(ids, out.size());
        assertTrue(out.stream().allMatch(d -> d.updatedAt().equals(T2)), "an older version won a race");
    }
}
