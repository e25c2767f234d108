package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/examples/ReadLatest.java, the backend reader example, reads the fixture store and a store the real jars
 * published; the fixture's manifest has the fields a real one has, so the fixture pins the output contract.
 * (docs/examples/test_read_latest.py runs the Python example on the same fixture.)
 */
class ReaderExamplesTest {
    private static final Path EXAMPLES = Jobs.ROOT.resolve("docs/examples");
    private static final Instant T0 = Instant.parse("2026-11-25T10:05:00Z");

    @Test
    void readsTheFixtureStore() throws Exception {
        String out = readLatest(EXAMPLES.resolve("fixture-store"));
        assertEquals("run scheduled__2026-11-25T10.05.00Z: 3 predictions by churn/v1, published 2026-11-25T10:06:31.204Z;"
            + " polled again: unchanged", out.strip());
    }

    @Test
    void readsWhatTheJarsPublishAndTheFixtureHasItsFields() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 20, T0.minusSeconds(60), 3);
        p.cycle("run-1", T0);

        assertTrue(readLatest(Path.of(store.uri())).startsWith("run run-1: 20 predictions by churn/v1, published "));
        JsonNode fixture = Json.MAPPER.readTree(EXAMPLES.resolve("fixture-store/latest/manifest.json").toFile());
        assertEquals(fields(Fixtures.json(store, Layout.LATEST_MANIFEST)), fields(fixture), "latest/manifest.json's fields");
        JsonNode record = Fixtures.lines(store, Layout.LATEST_PREDICTIONS).get(0);
        JsonNode fixtureRecord = Json.MAPPER.readTree(firstFixtureRecord());
        assertEquals(fields(record), fields(fixtureRecord), "a prediction record's fields");
    }

    private static TreeSet<String> fields(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String firstFixtureRecord() throws IOException {
        byte[] gz = Files.readAllBytes(EXAMPLES.resolve("fixture-store/latest/predictions.ndjson.gz"));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }
    }

    /** Runs the example as its doc says: java -cp dist/publish.jar docs/examples/ReadLatest.java STORE. */
    private static String readLatest(Path store) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", Jobs.ROOT.resolve("dist/publish.jar").toString(),
            EXAMPLES.resolve("ReadLatest.java").toString(), store.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
