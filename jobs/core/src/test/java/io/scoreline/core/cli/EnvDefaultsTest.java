package io.scoreline.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** flag > SCORELINE_* environment variable > annotation default, for every option of every job. */
class EnvDefaultsTest {

    private static InProcess tiny(Map<String, String> env, String... args) {
        return InProcess.run(TinyCommand::new, env, args);
    }

    @Test
    void variableNameIsScorelinePrefixedUpperSnakeCase() {
        assertEquals("SCORELINE_ES_URL", EnvDefaults.variableFor("--es-url"));
        assertEquals("SCORELINE_RUN_ID", EnvDefaults.variableFor("--run-id"));
        assertEquals("SCORELINE_V", EnvDefaults.variableFor("-v"));
    }

    @Test
    void sharedOptionsKeepOneNameAndTheOthersCarryTheirCommand() {
        assertEquals("SCORELINE_STORE", EnvDefaults.variableFor("register", "--store"));
        assertEquals("SCORELINE_S3_ENDPOINT", EnvDefaults.variableFor("predict", "--s3-endpoint"));
        assertEquals("SCORELINE_ES_URL", EnvDefaults.variableFor("fetch", "--es-url"));
        assertEquals("SCORELINE_ALERT_WEBHOOK", EnvDefaults.variableFor("train", "--alert-webhook"));
        assertEquals("SCORELINE_REGISTER_ALIAS", EnvDefaults.variableFor("register", "--alias"));
        assertEquals("SCORELINE_PREDICT_ALIAS", EnvDefaults.variableFor("predict", "--alias"));
        assertEquals("SCORELINE_FETCH_INDEX", EnvDefaults.variableFor("fetch", "--index"));
    }

    @Test
    void anUnscopedVariableDoesNotSetACommandsOwnOption() {
        InProcess r = tiny(Map.of("SCORELINE_COLOR", "green", "SCORELINE_RUN_ID", "r1"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("run=r1 color=blue max-items=10", r.out().strip());
    }

    @Test
    void annotationDefaultAppliesWithoutFlagOrEnvironment() {
        InProcess r = tiny(Map.of(), "--run-id", "r1");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("run=r1 color=blue max-items=10", r.out().strip());
    }

    @Test
    void environmentOverridesAnnotationDefault() {
        InProcess r = tiny(Map.of("SCORELINE_TINY_COLOR", "green", "SCORELINE_TINY_MAX_ITEMS", "7", "SCORELINE_RUN_ID", "from-env"));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("run=from-env color=green max-items=7", r.out().strip());
    }

    @Test
    void flagOverridesEnvironment() {
        InProcess r = tiny(Map.of("SCORELINE_TINY_COLOR", "green", "SCORELINE_RUN_ID", "from-env"), "--color", "red", "--run-id", "r2");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("run=r2 color=red max-items=10", r.out().strip());
    }

    @Test
    void emptyEnvironmentValueFallsBackToAnnotationDefault() {
        InProcess r = tiny(Map.of("SCORELINE_TINY_COLOR", ""), "--run-id", "r1");
        assertEquals("run=r1 color=blue max-items=10", r.out().strip());
    }

    @Test
    void badEnvironmentValueIsAUsageError() {
        InProcess r = tiny(Map.of("SCORELINE_TINY_MAX_ITEMS", "many"), "--run-id", "r1");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--max-items") && r.err().contains("many"), r::toString);
    }

    @Test
    void verboseFromEnvironmentShowsStackTraces() {
        InProcess r = tiny(Map.of("SCORELINE_VERBOSE", "true"), "--run-id", "r1", "--crash");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat "), r::toString);
    }
}
