package io.scoreline.serve.fallback;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.ObjectStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch pipeline's published predictions (latest/), in memory, for answers when the model cannot give one in
 * time. Reloaded when latest/manifest.json names another snapshot; only records of the model served are kept.
 */
public final class BatchPredictions {
    private static final Logger log = LoggerFactory.getLogger(BatchPredictions.class);

    /** A published prediction: the record as published, and its ranking score. */
    public record Prediction(JsonNode record, double score) {}

    private final ObjectStore store;
    private final String model;
    private final ScoreOf scoreOf;
    private volatile Map<String, Prediction> byId = Map.of();
    private volatile String snapshot;

    /** How a published record ranks (the model's own rule, {@link io.scoreline.serve.scoring.Ranking}). */
    public interface ScoreOf {
        Double of(JsonNode record);
    }

    public BatchPredictions(ObjectStore store, String model, ScoreOf scoreOf) {
        this.store = store;
        this.model = model;
        this.scoreOf = scoreOf;
    }

    public Optional<Prediction> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return byId.size();
    }

    /** Loads latest/ when it changed; never throws: without it the fallback goes on to the default. */
    public void refresh() {
        try {
            Optional<LatestManifest> latest = StoredJson.value(store, Layout.LATEST_MANIFEST, LatestManifest.class);
            if (latest.isEmpty() || Objects.equals(latest.get().snapshot(), snapshot)) return;
            Map<String, Prediction> loaded = new HashMap<>();
            try (NdjsonReader in = new NdjsonReader(store, Layout.LATEST_PREDICTIONS)) {
                String line;
                while ((line = in.next()) != null) {
                    JsonNode record = Json.MAPPER.readTree(line);
                    if (!model.equals(record.path("model").asText())) continue;
                    Double score = scoreOf.of(record);
                    if (score != null) loaded.put(record.path("id").asText(), new Prediction(record, score));
                }
            }
            byId = Map.copyOf(loaded);
            snapshot = latest.get().snapshot();
            log.info("batch fallback: {} predictions of model '{}' from {} (run {})", loaded.size(), model, Layout.LATEST_PREDICTIONS,
                latest.get().runId());
        } catch (IOException | RuntimeException e) {
            log.warn("batch fallback: could not load {}: {}", Layout.LATEST_PREDICTIONS, e.getMessage());
        }
    }
}
