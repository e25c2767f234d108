package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Precondition;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** publish.jar status: latest/manifest.json plus its age on one JSON line; with --max-age, the freshness check. */
class StatusCommandTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void reportsFreshStaleAndOldOutput(TestStore store) throws Exception {
        var empty = Jobs.run(store.env(), "publish", "status", "--max-age", "10m");
        assertEquals(6, empty.exit(), empty.toString());
        assertTrue(empty.err().contains("nothing has been published"), empty.err());

        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 20, T0.minusSeconds(60), 3);
        p.cycle("run-1", T0);

        var fresh = Jobs.run(store.env(), "publish", "status", "--max-age", "10m");
        assertEquals(0, fresh.exit(), fresh.toString());
        assertEquals(1, fresh.out().lines().count(), fresh.out());
        JsonNode status = Json.MAPPER.readTree(fresh.out());
        assertEquals("run-1", status.path("run_id").asText());
        assertEquals(20, status.path("count").asLong());
        assertEquals(false, status.path("stale").asBoolean());
        assertTrue(status.path("age_seconds").asLong() >= 0 && status.path("age_seconds").asLong() < 600, fresh.out());
        assertEquals(600, status.path("max_age_seconds").asLong());

        assertEquals(0, Jobs.run(store.env(), "publish", "fallback", "--run-id", "run-2", "--reason", "predict failed").exit());
        var stale = Jobs.run(store.env(), "publish", "status", "--max-age", "10m");
        assertEquals(6, stale.exit(), stale.toString());
        assertTrue(Json.MAPPER.readTree(stale.out()).path("stale").asBoolean(), stale.out());
        assertTrue(stale.err().contains("is stale") && stale.err().contains("predict failed") && stale.err().contains("run-2"),
            stale.err());
        assertEquals(0, Jobs.run(store.env(), "publish", "status").exit(), "without --max-age status only reports");

        ObjectNode old = (ObjectNode) Fixtures.json(store, Layout.LATEST_MANIFEST);
        old.put("stale", false).put("published_at", Instant.now().minusSeconds(3600).toString());
        try (ObjectStore s = store.open()) {
            s.put(Layout.LATEST_MANIFEST, Json.bytes(old), Precondition.NONE);
        }
        var tooOld = Jobs.run(store.env(), "publish", "status", "--max-age", "10m");
        assertEquals(6, tooOld.exit(), tooOld.toString());
        assertTrue(Json.MAPPER.readTree(tooOld.out()).path("age_seconds").asLong() >= 3600, tooOld.out());
        assertTrue(tooOld.err().contains("more than --max-age 600 s"), tooOld.err());
    }
}
