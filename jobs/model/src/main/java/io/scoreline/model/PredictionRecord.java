package io.scoreline.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Task;
import java.time.Instant;
import java.util.List;

/** The published prediction record, shared by batch and real-time so both answer alike (docs/output-contract.md). */
public final class PredictionRecord {
    private PredictionRecord() {}

    public static ObjectNode of(String id, Instant updatedAt, Score score, ModelSpec spec) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", id);
        if (updatedAt != null) out.put("updated_at", updatedAt.toString());
        if (spec.task() == Task.REGRESSION) {
            out.put("prediction", score.value());
        } else {
            out.put("prediction", score.label());
            if (score.probabilities() != null) {
                ObjectNode p = out.putObject("probabilities");
                List<String> classes = spec.classes();
                for (int i = 0; i < score.probabilities().length; i++) {
                    p.put(i < classes.size() ? classes.get(i) : Integer.toString(i), score.probabilities()[i]);
                }
            }
        }
        out.put("model", spec.name());
        out.put("model_version", spec.version());
        return out;
    }
}
