package io.scoreline.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.cli.InProcess;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Watermark;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.FileStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole fetch, in-process: NDJSON file source -> window -> newest per id -> runs/<run>/ in a file store. */
class FetchCommandTest {
    private static final Instant WATERMARK = Instant.parse("2026-01-01T10:00:00Z");
    private static final String END = "2026-01-01T11:00:00Z";
    private static final RunId RUN = RunId.parse("scheduled__2026-01-01T11:00:00+00:00");

    @TempDir Path dir;

    @BeforeEach
    void createStore() throws IOException {
        Files.createDirectories(dir.resolve("store"));
    }

    /** Documents around the window (09:55, 10:59:30] that a 10:00 watermark, 5m overlap, 11:00 end and 30s lag give. */
    private static final List<String> DOCS = List.of(
        "{\"id\":\"old\",\"updated_at\":\"2026-01-01T09:50:00Z\",\"x\":1}",
        "{\"id\":\"edge\",\"updated_at\":\"2026-01-01T09:55:00Z\",\"x\":2}",
        "{\"id\":\"late\",\"updated_at\":\"2026-01-01T09:56:00Z\",\"x\":3}",
        "{\"id\":\"new\",\"updated_at\":\"2026-01-01T10:30:00Z\",\"x\":4}",
        "{\"id\":\"new\",\"updated_at\":\"2026-01-01T10:20:00Z\",\"x\":5}",
        "{\"id\":\"last\",\"updated_at\":\"2026-01-01T10:59:30Z\",\"x\":6}",
        "{\"id\":\"future\",\"updated_at\":\"2026-01-01T10:59:45Z\",\"x\":7}");

    private FileStore store() {
        return new FileStore(dir.resolve("store"));
    }

    private InProcess fetch(List<String> lines, String... extra) throws Exception {
        Path source = dir.resolve("documents.ndjson");
        Files.write(source, lines);
        // store and source come from the environment, as Airflow's KubernetesPodOperator would set them
        Map<String, String> env = Map.of("SCORELINE_STORE", "file://" + dir.resolve("store"), "SCORELINE_FETCH_SOURCE", source.toString());
        List<String> args = new ArrayList<>(List.of("--run-id", RUN.value(), "--data-interval-end", END, "--overlap", "5m",
            "--refresh-lag", "30s"));
        args.addAll(List.of(extra));
        return InProcess.run(FetchCommand::new, env, args.toArray(String[]::new));
    }

    private void publishedWatermark() {
        StoredJson.write(store(), Layout.WATERMARK, new Watermark("updated_at", WATERMARK, "previous", WATERMARK.plusSeconds(90)));
    }

    private FetchManifest manifest() {
        return StoredJson.value(store(), Layout.manifest(RUN, "fetch"), FetchManifest.class).orElseThrow();
    }

    private List<JsonNode> lines(String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store(), key)) {
            for (String line; (line = reader.next()) != null; ) out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    private List<Document> input() throws Exception {
        List<Document> docs = new ArrayList<>();
        for (JsonNode n : lines(Layout.input(RUN))) docs.add(Json.MAPPER.treeToValue(n, Document.class));
        return docs;
    }

    @Test
    void incrementalRunReadsFromWatermarkMinusOverlap() throws Exception {
        publishedWatermark();
        InProcess r = fetch(DOCS);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("fetched 3 documents into " + Layout.input(RUN), r.out().strip());

        FetchManifest m = manifest();
        assertEquals(new Window(Instant.parse("2026-01-01T09:55:00Z"), Instant.parse("2026-01-01T10:59:30Z")), m.window());
        assertEquals("incremental", m.mode());
        assertEquals(Instant.parse(END), m.dataIntervalEnd());
        assertEquals(7, m.read());
        assertEquals(3, m.outOfWindow()); // old, edge (after is exclusive), future (beyond the refresh lag)
        assertEquals(1, m.duplicates());
        assertEquals(0, m.rejected());
        assertEquals(3, m.output().records());

        List<Document> docs = input();
        assertEquals(List.of("last", "late", "new"), docs.stream().map(Document::id).toList());
        assertEquals(Instant.parse("2026-01-01T10:30:00Z"), docs.get(2).updatedAt()); // the newer duplicate
        assertEquals(4, docs.get(2).features().get("x").asInt());
        assertEquals(io.scoreline.core.store.Digests.sha256Hex(store().read(Layout.input(RUN), 1 << 20).orElseThrow().bytes()),
            m.output().sha256());
    }

    @Test
    void firstIncrementalRunWithoutWatermarkReadsFromTheBeginning() throws Exception {
        InProcess r = fetch(DOCS);
        assertEquals(0, r.exitCode(), r::toString);
        FetchManifest m = manifest();
        assertNull(m.window().after());
        assertEquals(List.of("edge", "last", "late", "new", "old"), input().stream().map(Document::id).toList());
        assertEquals(1, m.outOfWindow());
    }

    @Test
    void fullModeIgnoresTheWatermark() throws Exception {
        publishedWatermark();
        InProcess r = fetch(DOCS, "--mode", "full");
        assertEquals(0, r.exitCode(), r::toString);
        FetchManifest m = manifest();
        assertEquals("full", m.mode());
        assertEquals(new Window(null, Instant.parse("2026-01-01T10:59:30Z")), m.window());
        assertEquals(List.of("edge", "last", "late", "new", "old"), input().stream().map(Document::id).toList());
        assertEquals(1, m.outOfWindow());
    }

    @Test
    void malformedLinesGoToFetchRejectedWithReasons() throws Exception {
        List<String> lines = List.of(
            "{\"id\":\"ok\",\"updated_at\":\"2026-01-01T10:30:00Z\"}",
            "this is not json",
            "[1,2]",
            "{\"id\":\"no-time\"}",
            "{\"updated_at\":\"2026-01-01T10:30:00Z\"}",
            "{\"id\":\"huge-time\",\"updated_at\":\"99999999999999999999\"}",
            "",
            "{\"id\":\"ok2\",\"updated_at\":1767263400000}");
        InProcess r = fetch(lines);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("fetch: warning: rejected 5 of 7 documents read (71.4%); each with its reason in "
            + dir.resolve("store").toUri() + "runs/" + RUN.value() + "/fetch-rejected.ndjson.gz"), r.errLines(), r::toString);
        FetchManifest m = manifest();
        assertEquals(7, m.read());
        assertEquals(5, m.rejected());
        assertEquals(2, m.output().records());
        assertEquals(List.of("ok", "ok2"), input().stream().map(Document::id).toList());

        List<JsonNode> rejected = lines(Layout.fetchRejected(RUN));
        assertEquals(5, rejected.size());
        assertEquals(5, m.rejectedOutput().records());
        for (JsonNode rec : rejected) assertEquals("fetch", rec.get("job").asText(), rec::toString);
        assertEquals("this is not json", rejected.get(0).get("document").asText());
        assertTrue(rejected.get(0).get("reason").asText().startsWith("not valid JSON"), rejected.get(0)::toString);
        assertEquals("not a JSON object", rejected.get(1).get("reason").asText());
        assertTrue(rejected.get(2).get("reason").asText().contains("'updated_at'"), rejected.get(2)::toString);
        assertEquals("no-time", rejected.get(2).get("document").get("id").asText());
        assertTrue(rejected.get(3).get("reason").asText().startsWith("no id"), rejected.get(3)::toString);
        assertEquals("huge-time", rejected.get(4).get("document").get("id").asText());
    }

    @Test
    void missingSourceIsSourceUnavailable() throws Exception {
        Map<String, String> env = Map.of("SCORELINE_STORE", dir.resolve("store").toString());
        InProcess r = InProcess.run(FetchCommand::new, env, "--run-id", "r1", "--source", dir.resolve("nothing.ndjson").toString());
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().contains("does not exist"), r::toString);
    }

    @Test
    void aMissingStoreIsAConfigurationErrorFoundBeforeTheSourceIsRead() throws Exception {
        Map<String, String> env = Map.of("SCORELINE_STORE", dir.resolve("no-such-store").toString());
        // the source is missing too: exit 2, not fetch's 3, shows the store was checked first
        InProcess r = InProcess.run(FetchCommand::new, env, "--run-id", "r1", "--source", dir.resolve("nothing.ndjson").toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("store " + dir.resolve("no-such-store").toUri() + " does not exist"), r::toString);
        assertFalse(Files.exists(dir.resolve("no-such-store")), "fetch creates no store");
    }

    @Test
    void badRunIdIsAUsageErrorAndWritesNothing() throws Exception {
        InProcess r = InProcess.run(FetchCommand::new, Map.of("SCORELINE_STORE", dir.resolve("store").toString()), "--run-id", "a/b");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(List.of(), store().list(""));
    }
}
