package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.run.Layout;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Precondition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model.json that breaks the contract is refused by register (2) and by predict (5), one line, nothing stored. */
class ModelSpecRefusalsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static Path copyWithSpec(Path dir, String from, String to) throws Exception {
        Path model = Fixtures.model();
        Files.copy(model.resolve("model.smile"), dir.resolve("model.smile"));
        String spec = Files.readString(model.resolve("model.json"));
        assertTrue(spec.contains(from), spec);
        Files.writeString(dir.resolve("model.json"), spec.replace(from, to));
        return dir;
    }

    @Test
    void invalidAliasIsRefusedBeforeAnythingIsStored() throws Exception {
        TestStore store = TestStore.file();
        var r = Jobs.run(store.env(), "predict", "register", "--model-dir", Fixtures.model().toString(), "--model", "churn",
            "--model-version", "v1", "--alias", "../production");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("invalid alias '../production'"), r.err());
        try (ObjectStore s = store.open()) {
            assertTrue(s.list(Layout.modelDir("churn", "v1")).isEmpty(), "nothing stored");
        }
    }

    @Test
    void missingTaskIsAUsageErrorAtRegister(@TempDir Path dir) throws Exception {
        copyWithSpec(dir, "\"task\" : \"classification\",", "");
        var r = Jobs.run(TestStore.file().env(), "predict", "register", "--model-dir", dir.toString(), "--model", "churn",
            "--model-version", "v1");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("task is missing"), r.err());
    }

    @Test
    void garbageModelJsonIsAUsageErrorWithoutParserInternals(@TempDir Path dir) throws Exception {
        copyWithSpec(dir, "{", "{ nonsense,");
        var r = Jobs.run(TestStore.file().env(), "predict", "register", "--model-dir", dir.toString(), "--model", "churn",
            "--model-version", "v1");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("is not valid JSON (line 1"), r.err());
        assertFalse(r.err().contains("Unrecognized") || r.err().contains("Exception"), r.err());
    }

    @Test
    void storedSpecBreakingTheContractExits5AtPredict() throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 20, T0.minusSeconds(60), 3);
        p.cycle("run-1", T0);
        try (ObjectStore s = store.open()) { // the stored model.json later loses its task
            String key = Layout.modelSpec("churn", "v1");
            String spec = new String(s.read(key, 1 << 20).orElseThrow().bytes(), StandardCharsets.UTF_8);
            s.put(key, spec.replace("\"task\" : \"classification\",", "").getBytes(StandardCharsets.UTF_8), Precondition.NONE);
        }
        assertEquals(0, p.fetch("run-2", T0.plusSeconds(300)).exit());
        var r = p.predict("run-2");
        assertEquals(5, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("model churn/v1: model.json: task is missing"), r.err());
    }
}
