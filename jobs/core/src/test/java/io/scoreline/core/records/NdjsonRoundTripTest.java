package io.scoreline.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.FileStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gzip NDJSON written and read back through a store, with the count and the sha256 a manifest records. */
class NdjsonRoundTripTest {
    private static final String KEY = "runs/r1/input.ndjson.gz";
    @TempDir Path root;

    private static List<String> readAll(NdjsonReader reader) {
        List<String> lines = new ArrayList<>();
        for (String line; (line = reader.next()) != null; ) lines.add(line);
        return lines;
    }

    private OutputFile writeThree(FileStore store) {
        return NdjsonWriter.write(store, KEY, w -> {
            w.write(new Document("a", Instant.parse("2026-01-01T10:00:00Z"), Json.MAPPER.createObjectNode().put("price", 1.5)));
            w.write(Json.MAPPER.createObjectNode().put("id", "b").put("text", "ünïcode\nnewline"));
            w.writeRaw("{\"id\":\"c\"}");
            w.writeRaw("{\"id\":\"d\",\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8));
            w.write(Json.MAPPER.createObjectNode().put("id", "e"));  // after raw bytes: the generator's order holds
        });
    }

    @Test
    void recordsComeBackInOrderAndCounted() throws IOException {
        FileStore store = new FileStore(root);
        OutputFile file = writeThree(store);
        assertEquals(KEY, file.key());
        assertEquals(5, file.records());
        try (NdjsonReader reader = new NdjsonReader(store, KEY)) {
            List<String> lines = readAll(reader);
            assertEquals(5, lines.size());
            Document a = Json.MAPPER.readValue(lines.get(0), Document.class);
            assertEquals(new Document("a", Instant.parse("2026-01-01T10:00:00Z"), Json.MAPPER.createObjectNode().put("price", 1.5)), a);
            assertTrue(lines.get(0).contains("\"updated_at\":\"2026-01-01T10:00:00Z\""), lines.get(0));
            JsonNode b = Json.MAPPER.readTree(lines.get(1));
            assertEquals("ünïcode\nnewline", b.get("text").asText());
            assertEquals("{\"id\":\"c\"}", lines.get(2));
            assertEquals("{\"id\":\"d\",\"name\":\"Zoë\"}", lines.get(3));
            assertEquals("{\"id\":\"e\"}", lines.get(4));
        }
    }

    @Test
    void sha256AndSizeAreThoseOfTheStoredBytes() throws IOException {
        FileStore store = new FileStore(root);
        OutputFile file = writeThree(store);
        byte[] stored = Files.readAllBytes(root.resolve(KEY));
        assertEquals(Digests.sha256Hex(stored), file.sha256());
        assertEquals(stored.length, file.bytes());
        try (NdjsonReader reader = new NdjsonReader(store, KEY)) {
            readAll(reader);
            reader.verify(file.sha256());
        }
    }

    @Test
    void verifyRefusesAWrongHash() {
        FileStore store = new FileStore(root);
        writeThree(store);
        String wrong = Digests.sha256Hex(new byte[0]);
        try (NdjsonReader reader = new NdjsonReader(store, KEY)) {
            readAll(reader);
            JobException e = assertThrows(JobException.class, () -> reader.verify(wrong));
            assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
            assertTrue(e.getMessage().contains("does not match its manifest") && e.getMessage().contains(wrong), e.getMessage());
        }
    }

    @Test
    void verifyBeforeTheEndStillHashesTheWholeFile() {
        FileStore store = new FileStore(root);
        OutputFile file = writeThree(store);
        try (NdjsonReader reader = new NdjsonReader(store, KEY)) {
            reader.next();
            reader.verify(file.sha256());
        }
    }

    @Test
    void emptyFileHasNoRecords() {
        FileStore store = new FileStore(root);
        OutputFile file = NdjsonWriter.write(store, KEY, w -> { });
        assertEquals(0, file.records());
        try (NdjsonReader reader = new NdjsonReader(store, KEY)) {
            assertNull(reader.next());
            assertEquals(file.sha256(), reader.sha256());
        }
    }

    @Test
    void notGzipIsRefused() {
        FileStore store = new FileStore(root);
        store.put(KEY, "{\"id\":\"a\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), io.scoreline.core.store.Precondition.NONE);
        JobException e = assertThrows(JobException.class, () -> new NdjsonReader(store, KEY));
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
    }

    @Test
    void aLineOfInvalidUtf8IsReportedNotReplacedAndTheNextLinesStillRead() {
        FileStore store = new FileStore(root);
        NdjsonWriter.write(store, KEY, w -> {
            w.writeRaw("{\"id\":\"a\"}");
            w.writeRaw(bad(0xff));
            w.writeRaw(bad(0xfe));
            w.writeRaw("{\"id\":\"z\",\"name\":\"Zoë\"}");
        });
        try (NdjsonReader reader = new NdjsonReader(store, KEY)) {
            assertEquals("{\"id\":\"a\"}", reader.next());
            for (int line = 2; line <= 3; line++) {
                NdjsonReader.InvalidLine e = assertThrows(NdjsonReader.InvalidLine.class, reader::next);
                assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
                assertTrue(e.getMessage().startsWith("line " + line + " of '" + KEY + "' is not valid UTF-8"), e.getMessage());
                assertEquals("{\"id\":\"bad-\uFFFD\"}", e.lossyText());
            }
            assertEquals("{\"id\":\"z\",\"name\":\"Zoë\"}", reader.next());
            assertNull(reader.next());
        }
    }

    /** {"id":"bad-?"} with one byte that is never valid in UTF-8. */
    private static byte[] bad(int invalidByte) {
        byte[] head = "{\"id\":\"bad-".getBytes(StandardCharsets.UTF_8), tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] line = java.util.Arrays.copyOf(head, head.length + 1 + tail.length);
        line[head.length] = (byte) invalidByte;
        System.arraycopy(tail, 0, line, head.length + 1, tail.length);
        return line;
    }
}
