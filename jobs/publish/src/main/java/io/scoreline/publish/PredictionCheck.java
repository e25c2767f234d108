package io.scoreline.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.error.JobException;
import java.util.Iterator;
import java.util.Map;

/** The schema and sanity rules a prediction must meet before a backend may see it. */
final class PredictionCheck {
    private final Double min;
    private final Double max;

    PredictionCheck(Double min, Double max) {
        this.min = min;
        this.max = max;
    }

    void check(JsonNode record, String where) {
        JsonNode id = record.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) throw refuse(where, "no id");
        JsonNode prediction = record.get("prediction");
        if (prediction == null || !(prediction.isNumber() || prediction.isTextual())) {
            throw refuse(where, "no prediction for id '" + id.asText() + "'");
        }
        if (prediction.isNumber()) {
            double value = prediction.asDouble();
            if (!Double.isFinite(value)) throw refuse(where, "prediction " + prediction + " for id '" + id.asText() + "' is not finite");
            if (min != null && value < min) throw refuse(where, "prediction " + value + " for id '" + id.asText() + "' is below --min-prediction " + min);
            if (max != null && value > max) throw refuse(where, "prediction " + value + " for id '" + id.asText() + "' is above --max-prediction " + max);
        }
        JsonNode probabilities = record.get("probabilities");
        if (probabilities != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = probabilities.properties().iterator(); it.hasNext(); ) {
                JsonNode p = it.next().getValue();
                if (!p.isNumber() || !Double.isFinite(p.asDouble()) || p.asDouble() < 0 || p.asDouble() > 1) {
                    throw refuse(where, "probability " + p + " for id '" + id.asText() + "' is not in [0, 1]");
                }
            }
        }
        if (!record.path("model_version").isTextual()) throw refuse(where, "no model_version for id '" + id.asText() + "'");
    }

    private static JobException refuse(String where, String what) {
        return JobException.refused(where + ": " + what);
    }
}
