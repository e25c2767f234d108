package io.scoreline.publish;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import org.junit.jupiter.api.Test;

/** What a prediction must be before a backend may see it. */
class PredictionCheckTest {
    private final PredictionCheck unbounded = new PredictionCheck(null, null);
    private final PredictionCheck unit = new PredictionCheck(0.0, 1.0);

    private static ObjectNode regression(double value) {
        return Json.MAPPER.createObjectNode().put("id", "a").put("prediction", value).put("model", "m").put("model_version", "v1");
    }

    private static ObjectNode classification(double yes) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("id", "a").put("prediction", "yes");
        r.putObject("probabilities").put("no", 1 - yes).put("yes", yes);
        return r.put("model_version", "v1");
    }

    private static String refusal(PredictionCheck check, ObjectNode record) {
        JobException e = assertThrows(JobException.class, () -> check.check(record, "line 7"), record::toString);
        assertEquals(ExitCode.VALIDATION_REFUSED, e.exitCode());
        return e.getMessage();
    }

    @Test
    void validPredictionsPass() {
        assertDoesNotThrow(() -> unbounded.check(regression(-1e9), "line 1"));
        assertDoesNotThrow(() -> unit.check(regression(0.0), "line 1"));
        assertDoesNotThrow(() -> unit.check(regression(1.0), "line 1"));
        assertDoesNotThrow(() -> unit.check(classification(0.25), "line 1"));
        assertDoesNotThrow(() -> unit.check(classification(1.0), "line 1"));
    }

    @Test
    void missingOrEmptyIdIsRefused() {
        assertEquals("line 7: no id", refusal(unbounded, regression(1).without("id")));
        assertEquals("line 7: no id", refusal(unbounded, regression(1).put("id", "")));
        assertEquals("line 7: no id", refusal(unbounded, regression(1).put("id", 42)));
        assertEquals("line 7: no id", refusal(unbounded, regression(1).putNull("id")));
    }

    @Test
    void missingPredictionIsRefused() {
        assertEquals("line 7: no prediction for id 'a'", refusal(unbounded, regression(1).without("prediction")));
        assertEquals("line 7: no prediction for id 'a'", refusal(unbounded, regression(1).putNull("prediction")));
        ObjectNode nested = regression(1);
        nested.putObject("prediction").put("value", 1);
        assertEquals("line 7: no prediction for id 'a'", refusal(unbounded, nested));
    }

    @Test
    void nonFinitePredictionIsRefused() {
        assertEquals("line 7: prediction \"NaN\" for id 'a' is not finite", refusal(unbounded, regression(Double.NaN)));
        assertEquals("line 7: prediction \"Infinity\" for id 'a' is not finite", refusal(unbounded, regression(Double.POSITIVE_INFINITY)));
    }

    @Test
    void boundsApplyToNumbers() {
        assertEquals("line 7: prediction -0.5 for id 'a' is below --min-prediction 0.0", refusal(unit, regression(-0.5)));
        assertEquals("line 7: prediction 1.5 for id 'a' is above --max-prediction 1.0", refusal(unit, regression(1.5)));
        assertDoesNotThrow(() -> new PredictionCheck(null, 1.0).check(regression(-100), "x"));
        assertDoesNotThrow(() -> new PredictionCheck(0.0, null).check(regression(100), "x"));
    }

    @Test
    void labelsAreNotBounded() {
        assertDoesNotThrow(() -> unit.check(classification(0.5).put("prediction", "42"), "x"));
    }

    @Test
    void probabilitiesMustBeNumbersInTheUnitInterval() {
        assertEquals("line 7: probability 1.5 for id 'a' is not in [0, 1]", refusal(unbounded, classification(0.5).<ObjectNode>set("probabilities",
            Json.MAPPER.createObjectNode().put("no", 0.5).put("yes", 1.5))));
        assertEquals("line 7: probability -0.25 for id 'a' is not in [0, 1]", refusal(unbounded, classification(0.5).<ObjectNode>set("probabilities",
            Json.MAPPER.createObjectNode().put("no", -0.25).put("yes", 0.5))));
        ObjectNode text = classification(0.5);
        ((ObjectNode) text.get("probabilities")).put("yes", "0.5");
        assertEquals("line 7: probability \"0.5\" for id 'a' is not in [0, 1]", refusal(unbounded, text));
        ObjectNode nan = classification(0.5);
        ((ObjectNode) nan.get("probabilities")).put("yes", Double.NaN);
        refusal(unbounded, nan);
    }

    @Test
    void modelVersionIsRequired() {
        assertEquals("line 7: no model_version for id 'a'", refusal(unbounded, regression(1).without("model_version")));
        assertEquals("line 7: no model_version for id 'a'", refusal(unbounded, regression(1).put("model_version", 3)));
    }
}
