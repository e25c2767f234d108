package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.cli.InProcess;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.Window;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.FileStore;
import io.scoreline.source.DocumentMapper;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.DocumentSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A hostile document is rejected with a reason; the run goes on and every good document beside it is kept. */
class FetchPoisonTest {
    private static final RunId RUN = RunId.parse("poison-1");

    @TempDir Path dir;

    private static String good(String id) {
        return "{\"id\":\"" + id + "\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"x\":1}\n";
    }

    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private InProcess fetch(byte[] source, String name) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("store"));
        Files.write(dir.resolve("src").resolve(name), source);
        return InProcess.run(FetchCommand::new, Map.of(), "--run-id", RUN.value(), "--store", dir.resolve("store").toString(),
            "--source", dir.resolve("src").toString(), "--data-interval-end", "2026-01-02T00:00:00Z");
    }

    private List<JsonNode> lines(String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(new FileStore(dir.resolve("store")), key)) {
            for (String line; (line = reader.next()) != null; ) out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    private List<String> ids() throws Exception {
        return lines(Layout.input(RUN)).stream().map(n -> n.get("id").asText()).toList();
    }

    private List<String> reasons() throws Exception {
        return lines(Layout.fetchRejected(RUN)).stream().map(n -> n.get("reason").asText()).toList();
    }

    private void assertRejected(byte[] poison, String reasonPart) throws Exception {
        // the poison sits between two good documents, as raw bytes
        ByteArrayOutputStream source = new ByteArrayOutputStream();
        source.writeBytes(bytes(good("a")));
        source.writeBytes(poison);
        source.writeBytes(bytes("\n", good("z")));
        InProcess r = fetch(source.toByteArray(), "a.ndjson");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("a", "z"), ids());
        List<String> reasons = reasons();
        assertEquals(1, reasons.size(), reasons::toString);
        assertTrue(reasons.get(0).contains(reasonPart), reasons::toString);
    }

    @Test
    void aDocumentNestedDeeperThanTheFilesAllowIsRejected() throws Exception {
        String deep = "[".repeat(998) + "]".repeat(998);
        assertRejected(bytes("{\"id\":\"deep\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"x\":" + deep + "}"), "nesting depth");
    }

    @Test
    void anIdWithALoneSurrogateIsRejected() throws Exception {
        assertRejected(bytes("{\"id\":\"bad-\\ud800\",\"updated_at\":\"2026-01-01T10:00:00Z\"}"), "lone UTF-16 surrogate");
    }

    @Test
    void invalidUtf8IsRejectedNotMergedIntoOneId() throws Exception {
        for (int b : new int[] {0xff, 0xfe}) {
            ByteArrayOutputStream poison = new ByteArrayOutputStream();
            poison.writeBytes(bytes("{\"id\":\"bad-"));
            poison.write(b);
            poison.writeBytes(bytes("\",\"updated_at\":\"2026-01-01T10:00:00Z\"}"));
            assertRejected(poison.toByteArray(), "Invalid UTF-8");
        }
    }

    @Test
    void aDocumentWithADuplicateKeyIsRejectedNotReadLastWins() throws Exception {
        // {"id":"a","id":"b"}: which one is the document? Another reader may keep the first; refuse to guess.
        assertRejected(bytes("{\"id\":\"dup-1\",\"id\":\"dup-2\",\"updated_at\":\"2026-01-01T10:00:00Z\"}"), "Duplicate field 'id'");
        assertRejected(bytes("{\"id\":\"dup\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"x\":{\"k\":1,\"k\":2}}"), "Duplicate field 'k'");
    }

    @Test
    void idsWithControlCharactersOrAByteOrderMarkAreRejected() throws Exception {
        // each looks like another id ("nul", "bom") to a person or a C string, yet is a distinct key here
        for (String id : new String[] {"nul\\u0000", "nul\\u0000tail", "ctl\\u001f", "del\\u007f", "c1\\u0085", "\\ufeffbom", "bom\uFEFF"}) {
            assertRejected(bytes("{\"id\":\"" + id + "\",\"updated_at\":\"2026-01-01T10:00:00Z\"}"), "control character or a byte order mark");
        }
    }

    @Test
    void aByteOrderMarkBeforeALineIsNotPartOfTheDocument() throws Exception {
        // editors on Windows start files with one: the document after it is good and keeps its id
        InProcess r = fetch(bytes("\uFEFF" + good("bom"), good("z")), "a.ndjson");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("bom", "z"), ids());
    }

    @Test
    void updateTimesNoWindowCanContainAreRejected() throws Exception {
        for (String t : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "-1"}) {
            String value = t.equals("-1") ? t : "\"" + t + "\"";
            assertRejected(bytes("{\"id\":\"t\",\"updated_at\":" + value + "}"), "no fetch window will ever contain it");
        }
    }

    @Test
    void theEdgesOfThePlausibleRangeAreKept() throws Exception {
        InProcess r = fetch(bytes("{\"id\":\"epoch\",\"updated_at\":\"1970-01-01T00:00:00Z\"}\n",
            "{\"id\":\"offset\",\"updated_at\":\"2026-01-01T10:00:00+14:00\"}\n"), "a.ndjson");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("epoch", "offset"), ids());
    }

    @Test
    void aLineOverTheSizeLimitIsRejectedByItsLength() throws Exception {
        String huge = "{\"id\":\"huge\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"x\":\"" + "y".repeat(Json.MAX_DOCUMENT_BYTES) + "\"}";
        assertRejected(bytes(huge), "longer than the limit of " + Json.MAX_DOCUMENT_BYTES + " bytes");
    }

    @Test
    void corruptGzipKeepsWhatWasReadAndRejectsTheRest() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes(good("a"), good("b")));
        }
        byte[] cut = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() - 6);  // the trailer cut off
        InProcess r = fetch(cut, "a.ndjson.gz");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("a", "b"), ids());
        List<String> reasons = reasons();
        assertTrue(reasons.get(0).startsWith("not valid gzip"), reasons::toString);
    }

    @Test
    void aDocumentASourceParsedBeyondTheFileLimitsIsRejectedNotTheRun() throws Exception {
        // Elasticsearch's client parses with its own limits: a document may arrive deeper than the files can hold
        String deep = "[".repeat(Json.MAX_DEPTH - 1) + "]".repeat(Json.MAX_DEPTH - 1);
        DocumentSource source = new DocumentSource() {
            @Override
            public String describe() {
                return "a source with its own parser";
            }

            @Override
            public void read(Window window, DocumentSink sink) {
                try {
                    sink.accept((ObjectNode) Json.MAPPER.readTree("{\"id\":\"deep\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"x\":" + deep + "}"), null);
                    sink.accept((ObjectNode) Json.MAPPER.readTree(good("a")), null);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
        FileStore store = new FileStore(dir.resolve("store"));
        Window window = new Window(null, Instant.parse("2026-01-02T00:00:00Z"));
        try (TempFiles temp = new TempFiles(dir)) {
            new Fetch(new DocumentMapper("id", "updated_at", List.of()), Fetch.Share.whole(window, window.upTo()), LoggerFactory.getLogger("test"),
                java.time.Duration.ZERO, temp, Long.MAX_VALUE).run(source, store, RUN, "incremental", Instant.now());
        }
        assertEquals(List.of("a"), ids());
        assertEquals(List.of("cannot be written within the file limits: Document nesting depth (1001) exceeds the maximum allowed (1000)"), reasons());
    }
}
