package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.model.PredictionRecord;
import io.scoreline.model.Score;
import io.scoreline.model.Vectorizer;
import io.scoreline.serve.api.ApiError;
import io.scoreline.serve.api.PredictRequest;
import io.scoreline.serve.api.PredictResponse;
import io.scoreline.serve.fallback.BatchPredictions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Scores feature rows with the served model within the deadline: the model's predictions (as batch publishes them),
 * else the last answer for the request's key (Redis), else the published predictions of rows that carry an "id", else
 * no prediction (source default).
 */
public final class PredictService {

    private final Serving serving;

    public PredictService(Serving serving) {
        this.serving = serving;
    }

    record Cached(long writtenAtMs, List<JsonNode> predictions) {}

    /** As {@link RankService#warmUp}: the (de)serializers are built before the first request needs them. */
    public static void warmUp() {
        List<JsonNode> predictions = List.of(Json.MAPPER.createObjectNode().put("prediction", 1));
        CachedJson.read(CachedJson.write(new Cached(0, predictions)), Cached.class);
        CachedJson.write(new PredictResponse(predictions, "model", null, "m", "v", 0L, 0));
    }

    public PredictResponse predict(String modelName, PredictRequest request, long startNanos) {
        ServedModel model = serving.model();
        if (!model.name().equals(modelName)) {
            throw ApiError.notFound("unknown model '" + modelName + "'; this service serves '" + model.name() + "'");
        }
        Deadline deadline = Deadline.of(startNanos, serving.deadline(request.deadlineMs()));
        double[][] rows = rows(model, request.rows());  // a bad row is the caller's mistake: 400, never a fallback
        String cacheKey = request.key() == null || serving.cache() == null ? null
            : serving.cache().key("predict", model.name(), model.version(), request.key());
        var lookup = cacheKey == null ? null : serving.cache().lookup(cacheKey);

        var outcome = serving.scoring().call(deadline, () -> {
            Score[] out = new Score[rows.length];
            model.score(rows, out);
            List<JsonNode> predictions = new ArrayList<>(out.length);
            for (int i = 0; i < out.length; i++) {
                ObjectNode p = PredictionRecord.of(id(request.rows().get(i)), null, out[i], model.spec());
                if (p.get("id").isNull()) p.remove("id");
                predictions.add(p);
            }
            return predictions;
        });
        if (outcome.ok()) {
            if (cacheKey != null) serving.cache().put(cacheKey, CachedJson.write(new Cached(System.currentTimeMillis(), outcome.value())));
            return new PredictResponse(outcome.value(), "model", null, model.name(), model.version(), null, deadline.tookMs());
        }
        String reason = outcome.failure();
        Optional<Cached> cached = cacheKey == null ? Optional.empty() : serving.cache().await(lookup, deadline.left())
            .flatMap(json -> CachedJson.read(json, Cached.class));
        if (cached.isPresent() && cached.get().predictions().size() == rows.length) {
            return new PredictResponse(cached.get().predictions(), "cache", reason, model.name(), model.version(),
                System.currentTimeMillis() - cached.get().writtenAtMs(), deadline.tookMs());
        }
        List<JsonNode> batch = batch(request.rows(), serving.batch());
        if (batch != null) return new PredictResponse(batch, "batch", reason, model.name(), model.version(), null, deadline.tookMs());
        return new PredictResponse(Collections.nCopies(rows.length, Json.MAPPER.nullNode()), "default", reason, model.name(),
            model.version(), null, deadline.tookMs());
    }

    private static double[][] rows(ServedModel model, List<ObjectNode> rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = model.vectorizer().row(rows.get(i));
            } catch (Vectorizer.InvalidFeature e) {
                throw ApiError.badRequest("rows[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    private static String id(ObjectNode row) {
        JsonNode id = row.get("id");
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id.asText() : null;
    }

    /** Every row's published prediction, or null unless every row has an id the batch run scored. */
    private static List<JsonNode> batch(List<ObjectNode> rows, BatchPredictions batch) {
        List<JsonNode> out = new ArrayList<>(rows.size());
        for (ObjectNode row : rows) {
            String id = id(row);
            Optional<BatchPredictions.Prediction> p = id == null ? Optional.empty() : batch.get(id);
            if (p.isEmpty()) return null;
            out.add(p.get().record());
        }
        return out;
    }


}
