package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * publish.jar runs: a run of each result (published, refused, fell back, incomplete), as a table and as --json; on the
 * way, the jobs' progress lines (one pipeline serves both, as every job start costs a JVM).
 * run-3 failed before fetch finished (no fetch.json): only fallback's record tells about it.
 */
class RunsCommandTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void listsEachResultNewestFirstWithTheWatermark(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 20, T0.minusSeconds(60), 3);
        cycleWithProgressLines(p, store, "run-1");
        Fixtures.appendRaw(p.source, "{not json\n");
        Fixtures.appendDocuments(p.source, 20, 5, T0.plusSeconds(240), 4);
        var fetch2 = p.fetch("run-2", T0.plusSeconds(300));
        assertEquals(0, fetch2.exit());
        assertEquals(List.of(), progress(fetch2, "elapsed"), "no progress line from a job shorter than the default 10s");
        assertEquals(0, p.predict("run-2").exit());
        var refused = p.publish("run-2", "--max-rejected-fraction", "0");
        assertEquals(6, refused.exit(), refused.toString());
        assertEquals(0, Jobs.run(store.env(), "publish", "fallback", "--run-id", "run-3", "--reason", "fetch failed (exit 3)").exit());
        assertEquals(0, p.fetch("run-4", T0.plusSeconds(900)).exit());

        var json = Jobs.run(store.env(), "publish", "runs", "--json");
        assertEquals(0, json.exit(), json.toString());
        assertEquals(1, json.out().lines().count(), json.out());
        JsonNode report = Json.MAPPER.readTree(json.out());
        assertEquals(1, report.path("schema_version").asInt());
        assertEquals(4, report.path("total_runs").asInt());
        assertEquals("run-1", report.path("watermark").path("run_id").asText());
        JsonNode runs = report.path("runs");
        assertEquals(List.of("run-4", "run-3", "run-2", "run-1"), runs.findValuesAsText("run_id"));
        assertEquals(List.of("incomplete", "fell_back", "refused", "published"), runs.findValuesAsText("result"));
        assertEquals("fetched, never scored", runs.get(0).path("reason").asText());
        assertEquals("fetch failed (exit 3) (latest/ kept run run-1)", runs.get(1).path("reason").asText());
        assertTrue(runs.get(2).path("reason").asText().contains("more than --max-rejected-fraction"), runs.get(2).toString());
        assertEquals(1, runs.get(2).path("rejected").asLong());
        JsonNode published = runs.get(3);
        assertEquals(20, published.path("read").asLong());
        assertEquals(20, published.path("scored").asLong());
        assertEquals(20, published.path("published").asLong());
        assertEquals("churn", published.path("model").asText());
        assertEquals("v1", published.path("model_version").asText());
        assertTrue(published.path("serving").asBoolean(), "latest/ still serves run-1");
        assertTrue(published.has("updated_at") && published.has("data_interval_end"), published.toString());

        var table = Jobs.run(store.env(), "publish", "runs", "--limit", "2");
        assertEquals(0, table.exit(), table.toString());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).matches("RUN +LAST WRITE \\(UTC\\) +READ +SCORED +REJECTED +PUBLISHED +MODEL +RESULT"), lines.get(0));
        assertTrue(lines.get(1).startsWith("run-4 ") && lines.get(1).endsWith("incomplete: fetched, never scored"), lines.get(1));
        assertTrue(lines.get(2).startsWith("run-3 ") && lines.get(2).contains("fell_back: fetch failed"), lines.get(2));
        assertEquals("(newest 2 of 4 runs; --limit N shows more)", lines.get(3));
        assertTrue(lines.get(4).startsWith("watermark: updated_at up to ") && lines.get(4).contains("run run-1"), lines.get(4));
        if (store.kind().equals("file")) demoEndsWithTheRejectsAndWhatToTryNext(store);
    }

    /** Progress on long work: every job reports at the interval (SCORELINE_PROGRESS_INTERVAL, or the flag), with totals where known. */
    private static void cycleWithProgressLines(Pipeline p, TestStore store, String run) {
        Map<String, String> often = Jobs.env(store.env(), "SCORELINE_PROGRESS_INTERVAL", "1ms");
        var fetch = Jobs.run(often, "fetch", p.fetchArgs(run, T0));
        assertEquals(0, fetch.exit(), fetch.toString());
        List<String> fetched = progress(fetch, "documents read");
        assertTrue(!fetched.isEmpty(), fetch.err());
        assertTrue(fetched.getLast().matches(".* INFO FetchCommand - [\\d,]+ documents read, [\\d,]+/s, \\d+s elapsed"), fetched.getLast());

        var predict = Jobs.run(often, "predict", "--run-id", run, "--model", "churn");
        assertEquals(0, predict.exit(), predict.toString());
        assertTrue(progress(predict, "documents scored").getLast()
            .matches(".* INFO PredictCommand - 20 of 20 documents scored \\(100\\.0%\\), [\\d,]+/s, \\d+s elapsed"), predict.err());

        var publish = p.publish(run, "--progress-interval", "1ms");
        assertEquals(0, publish.exit(), publish.toString());
        assertTrue(progress(publish, "documents merged").getLast()
            .matches(".* INFO PublishCommand - [\\d,]+ of 20 documents merged \\([\\d.]+%\\), [\\d,]+/s, (.* left, )?\\d+s elapsed"),
            publish.err());
    }

    private static List<String> progress(Jobs.Result r, String what) {
        return r.err().lines().filter(l -> l.contains(what) && l.contains("elapsed")).toList();
    }

    /** make demo's last part (scripts/demo-next.sh) on this store: the history, the rejects by file, real commands. */
    private static void demoEndsWithTheRejectsAndWhatToTryNext(TestStore store) throws Exception {
        Process p = new ProcessBuilder("bash", "scripts/demo-next.sh", store.uri(), "run-1").directory(Jobs.ROOT.toFile())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("RUN ") && out.contains("refused"), out);
        assertTrue(out.contains(store.uri() + "/runs/run-2/fetch-rejected.ndjson.gz: 1 documents"), out);
        assertTrue(out.contains(store.uri() + "/runs/run-1/rejected.ndjson.gz: 0 documents"), out);
        assertTrue(out.contains("for example: {\"job\":\"fetch\",\"reason\":"), out);
        assertTrue(out.contains("-jar dist/publish.jar rollback --store " + store.uri() + " --to run-1"), out);
        assertTrue(out.contains("-jar dist/publish.jar status --store " + store.uri()), out);
    }

    @Test
    void saysWhenTheStoreIsEmptyOrMissing() throws Exception {
        TestStore store = TestStore.file();
        var empty = Jobs.run(store.env(), "publish", "runs");
        assertEquals(0, empty.exit(), empty.toString());
        assertTrue(empty.out().startsWith("no runs in file://") && empty.out().contains("yet"), empty.out());
        var emptyJson = Jobs.run(store.env(), "publish", "runs", "--json");
        assertEquals(0, Json.MAPPER.readTree(emptyJson.out()).path("runs").size(), emptyJson.out());

        var missing = Jobs.run(Jobs.env(store.env(), "SCORELINE_STORE", store.uri() + "/nowhere"), "publish", "runs");
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.errLines().get(0).contains("does not exist"), missing.err());
        assertTrue(Files.isDirectory(java.nio.file.Path.of(store.uri())));
    }
}
