package io.scoreline.core.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.store.FileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines spooled to a temporary file come back whole and in order; the file goes when the job's temporary files close. */
class LineSpoolTest {
    @TempDir Path root;

    private List<String> written(LineSpool spool) throws Exception {
        FileStore store = new FileStore(Files.createDirectories(root.resolve("store")));
        NdjsonWriter.write(store, "out.ndjson.gz", spool::writeTo);
        List<String> lines = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store, "out.ndjson.gz")) {
            for (String line; (line = reader.next()) != null; ) lines.add(line);
        }
        return lines;
    }

    @Test
    void linesComeBackInOrderAndTheFileIsDeletedOnClose() throws Exception {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        List<String> expected = List.of("{\"a\":1}", "{\"b\":\"é \\n 😀\"}", "{\"c\":\"" + "x".repeat(100_000) + "\"}");
        try (TempFiles temp = new TempFiles(tmp)) {
            LineSpool spool = new LineSpool(temp, "lines");
            for (String line : expected) spool.add(line.getBytes(StandardCharsets.UTF_8));
            assertEquals(3, spool.count());
            assertEquals(expected, written(spool));
            assertEquals(expected, written(spool), "written twice, the same");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void noLineNoFile() throws Exception {
        try (TempFiles temp = new TempFiles(root)) {
            LineSpool spool = new LineSpool(temp, "lines");
            assertEquals(List.of(), written(spool));
            assertFalse(temp.used());
        }
    }
}
