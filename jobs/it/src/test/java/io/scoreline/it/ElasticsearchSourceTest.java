package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline (fetch -> predict -> publish) on a real Elasticsearch 8.x and 9.x: the cursor semantics of the
 * design (window, overlap, newest per id, full mode) hold for documents as Elasticsearch makes them visible.
 */
class ElasticsearchSourceTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(300);

    static Stream<EsServer> servers() {
        return EsServer.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void incrementalRunsPublishNewAndUpdatedDocumentsExactlyOnce(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server)) {
            Pipeline p = new Pipeline(TestStore.file(), index.sourceOptions());
            index.index(Fixtures.documents(0, 280, T0.minusSeconds(3600), 2), false);
            index.index(Fixtures.documents(280, 20, T0.minusSeconds(120), 2), true);  // inside run 2's overlap
            p.cycle("run-1", T0);
            index.index(Fixtures.documents(300, 50, T0.plusSeconds(60), 2), false);
            index.index(Fixtures.documents(0, 100, T0.plusSeconds(120), 70), true);
            p.cycle("run-2", T1);

            JsonNode fetch2 = Fixtures.json(p.store, Layout.manifest(RunId.parse("run-2"), "fetch"));
            assertEquals(170, fetch2.path("read").asLong(), "50 new + 100 updated + 20 re-read through the overlap");
            assertEquals(170, fetch2.path("output").path("records").asLong());
            assertTrue(fetch2.path("source").asText().contains(index.name), fetch2.toString());

            List<JsonNode> latest = Fixtures.lines(p.store, Layout.LATEST_PREDICTIONS);
            Map<String, JsonNode> byId = Fixtures.records(p.store, Layout.LATEST_PREDICTIONS);
            assertEquals(350, latest.size(), "every document once");
            assertEquals(350, byId.size(), "no id twice: overlap duplicates collapsed");
            assertEquals(T0.plusSeconds(120).toString(), byId.get("cust-00000").path("updated_at").asText());
            assertEquals(T0.minusSeconds(3600).toString(), byId.get("cust-00200").path("updated_at").asText());
            assertEquals(T0.minusSeconds(120).toString(), byId.get("cust-00290").path("updated_at").asText());
            assertTrue(byId.containsKey("cust-00349"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void documentsThatBecomeSearchableLateArePickedUpThroughTheOverlap(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server, "-1")) {  // nothing becomes searchable without an explicit refresh
            Pipeline p = new Pipeline(TestStore.file(), index.sourceOptions());
            index.index(Fixtures.documents(0, 100, T0.minusSeconds(3600), 2), true);
            index.index(Fixtures.documents(100, 10, T0.minusSeconds(60), 2), false);  // written before run 1's cut-off, not yet visible
            p.cycle("run-1", T0);
            assertEquals(100, Fixtures.records(p.store, "runs/run-1/input.ndjson.gz").size(), "run 1 cannot see them yet");

            index.refresh();
            p.cycle("run-2", T1);
            Map<String, JsonNode> latest = Fixtures.records(p.store, Layout.LATEST_PREDICTIONS);
            assertEquals(110, latest.size());
            assertTrue(IntStream.range(100, 110).allMatch(i -> latest.containsKey("cust-%05d".formatted(i))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void documentsIndexedWhileAFetchRunsArePickedUpByTheNextRun(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server)) {
            Pipeline p = new Pipeline(TestStore.file(), index.sourceOptions());
            index.index(Fixtures.documents(0, 20_000, T0.minusSeconds(3600), 2), true);

            // Small pages make the read take many requests; the new documents arrive once the point-in-time is open.
            Process fetch = Jobs.start(p.store.env(), "fetch", p.fetchArgs("run-1", T0, "--page-size", "200"));
            try (var log = new BufferedReader(new InputStreamReader(fetch.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = log.readLine()) != null && !line.contains("through a point-in-time")) { /* wait for the PIT */ }
                index.index(Fixtures.documents(20_000, 100, T0.minusSeconds(45), 2), true);
                while (log.readLine() != null) { /* drain */ }
            }
            assertTrue(fetch.waitFor(3, TimeUnit.MINUTES));
            assertEquals(0, fetch.exitValue());
            assertEquals(20_000, Fixtures.records(p.store, "runs/run-1/input.ndjson.gz").size(), "the point-in-time is a consistent view");
            assertEquals(0, p.predict("run-1").exit());
            assertEquals(0, p.publish("run-1").exit());

            p.cycle("run-2", T1);
            Map<String, JsonNode> latest = Fixtures.records(p.store, Layout.LATEST_PREDICTIONS);
            assertEquals(20_100, latest.size());
            assertEquals(20_100, Fixtures.lines(p.store, Layout.LATEST_PREDICTIONS).size());
            assertTrue(latest.containsKey("cust-20099"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void fullModeDropsDocumentsDeletedFromThePool(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server)) {
            Pipeline p = new Pipeline(TestStore.file(), index.sourceOptions());
            index.index(Fixtures.documents(0, 300, T0.minusSeconds(3600), 2), true);
            p.cycle("run-1", T0);
            index.delete(IntStream.range(0, 100).mapToObj("cust-%05d"::formatted).toList());

            for (var r : new Jobs.Result[] {p.fetch("run-2", T1, "--mode", "full"), p.predict("run-2"), p.publish("run-2")}) {
                assertEquals(0, r.exit(), r.toString());
            }
            Map<String, JsonNode> latest = Fixtures.records(p.store, Layout.LATEST_PREDICTIONS);
            assertEquals(200, latest.size());
            assertFalse(latest.containsKey("cust-00000"));
            assertTrue(latest.containsKey("cust-00100"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void slicesAndCompressedAnswersReturnTheSameDocumentsAsOneStream(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server)) {
            TestStore store = TestStore.file();
            index.index(Fixtures.documents(0, 5000, T0.minusSeconds(3600), 2), false);
            index.index(Fixtures.documents(5000, 2000, T0.minusSeconds(600), 3), true);
            Map<String, List<String>> runs = Map.of("slices-1", List.of("--slices", "1"), "slices-3", List.of("--slices", "3"),
                "gzip-2", List.of("--slices", "2", "--es-compression"));
            for (var run : runs.entrySet()) {
                var args = new ArrayList<>(List.of("--run-id", run.getKey(), "--es-url", index.url, "--index", index.name,
                    "--data-interval-end", T0.toString(), "--page-size", "700"));
                args.addAll(run.getValue());
                var r = Jobs.run(store.env(), "fetch", args.toArray(String[]::new));
                assertEquals(0, r.exit(), r.toString());
            }
            Map<String, JsonNode> one = Fixtures.records(store, "runs/slices-1/input.ndjson.gz");
            assertEquals(7000, one.size());
            for (String other : List.of("slices-3", "gzip-2")) {
                assertEquals(one, Fixtures.records(store, "runs/" + other + "/input.ndjson.gz"), other);
                assertEquals(Fixtures.sha256(store, "runs/slices-1/input.ndjson.gz"), Fixtures.sha256(store, "runs/" + other + "/input.ndjson.gz"),
                    other + ": the output is sorted by id, so it is byte for byte the same");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void fetchesTwoHundredThousandDocumentsInOneRun(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server, "-1")) {
            TestStore store = TestStore.file();
            long started = System.nanoTime();
            index.index(Fixtures.documents(0, 200_000, T0.minusSeconds(3600), 2), true);
            long indexed = System.nanoTime();
            var r = Jobs.run(store.env(), "fetch", "--run-id", "big", "--es-url", index.url, "--index", index.name,
                "--data-interval-end", T0.toString(), "--slices", "2");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(200_000, Fixtures.json(store, "runs/big/fetch.json").path("output").path("records").asLong());
            System.out.printf("%s: indexed 200,000 documents in %.1f s, fetched them in %.1f s%n", server,
                (indexed - started) / 1e9, (System.nanoTime() - indexed) / 1e9);
        }
    }
}
