package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import io.scoreline.serve.api.ApiError;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The model being served, as predict loads it (ModelRegistry: one loader, one vectorizer, one scorer), and how its
 * answers rank: a regression's value, a classifier's probability of its last class (the positive one of a binary model).
 */
public final class ServedModel {
    private final LoadedModel model;
    private final Vectorizer vectorizer;
    private final Map<String, Vectorizer> oneFeature;
    private final List<Vectorizer> columns;

    public ServedModel(LoadedModel model) {
        this.model = model;
        this.vectorizer = model.vectorizer();
        this.oneFeature = model.spec().features().stream()
            .collect(Collectors.toUnmodifiableMap(Feature::name, f -> new Vectorizer(List.of(f)), (a, b) -> a));
        this.columns = model.spec().features().stream().map(f -> new Vectorizer(List.of(f))).toList();
    }

    public ModelSpec spec() {
        return model.spec();
    }

    public String name() {
        return model.spec().name();
    }

    public String version() {
        return model.spec().version();
    }

    public Vectorizer vectorizer() {
        return vectorizer;
    }

    /**
     * One vectorizer per column of the row, in the model's order: column j of {@code vectorizer().row(values)} is
     * {@code columns().get(j).row(values)[0]}, so a row can be put together from values read at different times.
     */
    public List<Vectorizer> columns() {
        return columns;
    }

    public void score(double[][] rows, Score[] out) {
        model.scorer().score(rows, 0, rows.length, out);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of {@code rows} into the same places of {@code out}. */
    public void score(double[][] rows, int from, int to, Score[] out) {
        model.scorer().score(rows, from, to, out);
    }

    public static double rankScore(Score score) {
        double[] p = score.probabilities();
        return p != null && p.length > 0 ? p[p.length - 1] : score.value();
    }

    /** The ranking score of a published prediction record, or null when it has none. */
    public Double rankScore(JsonNode record) {
        JsonNode probabilities = record.get("probabilities");
        List<String> classes = model.spec().classes();
        if (probabilities != null && probabilities.isObject() && classes != null && !classes.isEmpty()) {
            JsonNode p = probabilities.get(classes.getLast());
            return p != null && p.isNumber() ? p.asDouble() : null;
        }
        JsonNode prediction = record.get("prediction");
        return prediction != null && prediction.isNumber() ? prediction.asDouble() : null;
    }

    /** Refuses request features the model does not have or cannot read, in the caller's terms (400). */
    public void check(ObjectNode features, String where) {
        if (features == null) return;
        for (Map.Entry<String, JsonNode> field : features.properties()) {
            Vectorizer one = oneFeature.get(field.getKey());
            if (one == null) {
                throw ApiError.badRequest(where + ": '" + field.getKey() + "' is not a feature of model " + model.id()
                    + "; its features: " + oneFeature.keySet().stream().sorted().toList());
            }
            if (field.getValue().isNull()) continue;
            try {
                one.row(features.objectNode().set(field.getKey(), field.getValue()));
            } catch (Vectorizer.InvalidFeature e) {
                throw ApiError.badRequest(where + ": " + e.getMessage());
            }
        }
    }

}
