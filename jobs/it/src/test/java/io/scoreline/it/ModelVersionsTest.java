package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Registering never moves production by itself; a human lists versions and promotes or rolls back by name. */
class ModelVersionsTest {
    private static Jobs.Result predict(TestStore store, String... args) {
        return Jobs.run(store.env(), "predict", args);
    }

    @Test
    void registerKeepsProductionAndPromoteMovesIt() throws Exception {
        TestStore store = TestStore.file();
        Fixtures.register(store, "v1");
        String dir = Fixtures.model().toString();
        assertEquals(0, predict(store, "register", "--model-dir", dir, "--model", "churn", "--model-version", "v2").exit());

        var list = predict(store, "models", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().startsWith("MODEL "), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("churn\\s+v1\\s+\\S+\\s+smile\\s+\\d+\\s+production\\s+random-forest")),
            list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("churn\\s+v2\\s+\\S+\\s+smile\\s+\\d+\\s+-\\s+random-forest")), list.out());

        var promote = predict(store, "models", "promote", "churn", "v2");
        assertEquals(0, promote.exit(), promote.toString());
        assertEquals("alias production of model churn: v1 -> v2", promote.out().strip());
        var show = predict(store, "models", "show", "churn");
        assertTrue(show.out().contains("\"version\" : \"v2\""), show.out());

        var rollback = predict(store, "models", "promote", "churn", "v1", "--alias", "production");
        assertEquals("alias production of model churn: v2 -> v1", rollback.out().strip());
    }

    @Test
    void unknownVersionIsRefused() throws Exception {
        TestStore store = TestStore.file();
        Fixtures.register(store, "v1");
        var r = predict(store, "models", "promote", "churn", "v9");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("model churn has no version 'v9'; its versions: v1"), r.err());
        assertTrue(predict(store, "models", "show", "churn").out().contains("\"version\" : \"v1\""));
    }

    @Test
    void anEmptyStoreSaysSoRatherThanPrintingAnEmptyTable() throws Exception {
        TestStore store = TestStore.file();
        var list = predict(store, "models", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().startsWith("no models in ") && list.out().contains(" yet: 'predict.jar register'"), list.toString());
    }
}
