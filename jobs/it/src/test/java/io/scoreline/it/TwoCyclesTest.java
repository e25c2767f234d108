package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The heart of the batch pipeline, run as jars: incremental cycles, ordering, full refresh (reruns: PublishedRunsTest). */
class TwoCyclesTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(300);

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    /** Cycle 1: 300 documents; cycle 2: 50 new, 100 updated (with a different tenure, so a different score). */
    private static Pipeline twoCycles(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 300, T0.minusSeconds(3600), 2);
        p.cycle("run-1", T0);
        Fixtures.appendDocuments(p.source, 300, 50, T0.plusSeconds(60), 2);
        Fixtures.appendDocuments(p.source, 0, 100, T0.plusSeconds(120), 70);
        p.cycle("run-2", T1);
        return p;
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void secondCycleMergesNewAndUpdatedDocumentsIntoTheSnapshot(TestStore store) throws Exception {
        Pipeline p = twoCycles(store);

        JsonNode run2 = Fixtures.json(store, Layout.manifest(io.scoreline.core.run.RunId.parse("run-2"), "fetch"));
        assertEquals(150, run2.path("output").path("records").asLong(), "run 2 reads only the new and updated documents");

        Map<String, JsonNode> latest = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
        assertEquals(350, latest.size());
        assertEquals(T0.plusSeconds(120).toString(), latest.get("cust-00000").path("updated_at").asText());
        assertEquals(T0.minusSeconds(3600).toString(), latest.get("cust-00200").path("updated_at").asText());
        assertTrue(latest.containsKey("cust-00349"));

        Map<String, JsonNode> first = Fixtures.records(store, p.snapshot("run-1"));
        assertEquals(300, first.size(), "history keeps run 1's snapshot as it was");
        assertNotEquals(first.get("cust-00001").path("probabilities"), latest.get("cust-00001").path("probabilities"),
            "an updated document is scored again");
        assertEquals(first.get("cust-00201"), latest.get("cust-00201"), "an untouched document keeps its prediction");

        JsonNode manifest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals("run-2", manifest.path("run_id").asText());
        assertEquals(350, manifest.path("count").asLong());
        assertEquals(Fixtures.sha256(store, Layout.LATEST_PREDICTIONS), manifest.path("sha256").asText());
        assertEquals(Fixtures.sha256(store, manifest.path("snapshot").asText()), manifest.path("sha256").asText());
        assertFalse(manifest.path("stale").asBoolean());
        assertEquals(T1.minusSeconds(30).toString(), Fixtures.json(store, Layout.WATERMARK).path("up_to").asText());
        assertEquals("run-2", Fixtures.json(store, Layout.LAST_GOOD).path("run_id").asText());
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void publishingAnOlderRunIsRefusedUnlessForced(TestStore store) throws Exception {
        Pipeline p = twoCycles(store);
        String latest = Fixtures.sha256(store, Layout.LATEST_PREDICTIONS);
        // a manual run with run 1's interval end (a wide overlap reaches back to its documents); never published
        assertEquals(0, p.fetch("run-0", T0, "--overlap", "2h").exit());
        assertEquals(0, p.predict("run-0").exit());

        var refused = p.publish("run-0");
        assertEquals(6, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("older than the published run run-2"), refused.err());
        assertEquals(latest, Fixtures.sha256(store, Layout.LATEST_PREDICTIONS), "latest is untouched");
        assertEquals("run-2", Fixtures.json(store, Layout.LATEST_MANIFEST).path("run_id").asText());

        var forced = p.publish("run-0", "--force");
        assertEquals(0, forced.exit(), forced.toString());
        Map<String, JsonNode> merged = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
        assertEquals(T0.plusSeconds(120).toString(), merged.get("cust-00000").path("updated_at").asText(),
            "even forced, an older run never replaces a newer version of a document");
        assertEquals(T1.minusSeconds(30).toString(), Fixtures.json(store, Layout.WATERMARK).path("up_to").asText(),
            "the watermark never moves back");
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void fullModeRescoresThePoolAndDropsDeletedDocuments(TestStore store) throws Exception {
        Pipeline p = twoCycles(store);
        java.nio.file.Files.writeString(p.source, ""); // the pool shrinks to 20 documents
        Fixtures.appendDocuments(p.source, 1000, 20, T1.plusSeconds(10), 5);
        Instant t2 = T1.plusSeconds(300);
        assertEquals(0, p.fetch("run-3", t2, "--mode", "full").exit());
        assertEquals(0, p.predict("run-3").exit());
        assertEquals(0, p.publish("run-3").exit());
        Map<String, JsonNode> latest = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
        assertEquals(20, latest.size());
        assertTrue(latest.keySet().stream().allMatch(id -> id.startsWith("cust-010")));
    }
}
