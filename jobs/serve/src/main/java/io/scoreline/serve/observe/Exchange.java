package io.scoreline.serve.observe;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.serve.api.PredictRequest;
import io.scoreline.serve.api.PredictResponse;
import io.scoreline.serve.api.RankRequest;
import io.scoreline.serve.api.RankResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and its answer as metrics and the request log see it: built once per request by {@link #ranked},
 * {@link #predicted} or {@link #refused}, after the answer is written. {@code items} are the answer's best items (at most
 * {@link #MAX_ITEMS}); {@code count} is the candidates ranked or the rows predicted.
 */
public record Exchange(long atEpochMs, String endpoint, String target, String key, int status, String source, String fallbackReason,
                       String model, String modelVersion, List<Scored> items, int count, Integer deadlineMs, long latencyNanos,
                       String error) {
    public static final int MAX_ITEMS = 10;
    public static final String RANK = "rank", PREDICT = "predict";

    /** An item of an answer: its id (null for a predict row without one) and score (null: the default answer's). */
    public record Scored(String id, Double score) {}

    public static Exchange ranked(String pool, RankRequest request, RankResponse answer, long startNanos) {
        List<Scored> items = new ArrayList<>(Math.min(MAX_ITEMS, answer.items().size()));
        for (RankResponse.Item item : answer.items()) {
            if (items.size() == MAX_ITEMS) break;
            items.add(new Scored(item.id(), item.score()));
        }
        return of(RANK, pool, request.key(), 200, answer.source(), answer.fallbackReason(), answer.model(), answer.modelVersion(), items,
            answer.candidates(), request.deadlineMs(), startNanos, null);
    }

    public static Exchange predicted(String model, PredictRequest request, PredictResponse answer, long startNanos) {
        List<Scored> items = new ArrayList<>(Math.min(MAX_ITEMS, answer.predictions().size()));
        for (JsonNode p : answer.predictions()) {
            if (items.size() == MAX_ITEMS) break;
            JsonNode id = p.get("id");
            items.add(new Scored(id == null || id.isNull() ? null : id.asText(), score(p)));
        }
        return of(PREDICT, model, request.key(), 200, answer.source(), answer.fallbackReason(), answer.model(), answer.modelVersion(), items,
            answer.predictions().size(), request.deadlineMs(), startNanos, null);
    }

    /** A request answered with an error (4xx, 5xx); {@code key} is null when the body could not be read. */
    public static Exchange refused(String endpoint, String target, String key, int status, String error, long startNanos) {
        return of(endpoint, target, key, status, null, null, null, null, List.of(), 0, null, startNanos, error);
    }

    private static Exchange of(String endpoint, String target, String key, int status, String source, String reason, String model,
                               String version, List<Scored> items, int count, Integer deadlineMs, long startNanos, String error) {
        long latency = System.nanoTime() - startNanos;
        return new Exchange(System.currentTimeMillis() - latency / 1_000_000, endpoint, target, key, status, source, reason, model, version,
            items, count, deadlineMs, latency, error);
    }

    /** A published-form prediction's ranking score: a classifier's probability of its last class, or a regression's value. */
    private static Double score(JsonNode prediction) {
        JsonNode probabilities = prediction.get("probabilities");
        if (probabilities != null && probabilities.isObject() && !probabilities.isEmpty()) {
            JsonNode last = null;
            for (JsonNode p : probabilities) last = p;
            return last.isNumber() ? last.asDouble() : null;
        }
        JsonNode value = prediction.get("prediction");
        return value != null && value.isNumber() ? value.asDouble() : null;
    }
}
