package io.scoreline.serve.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /v1/pools/{pool}/rank: {"key", "features"?, "candidates"?, "filter"?, "top_k"?, "deadline_ms"?}, checked field by field so
 * a mistake is answered with a 400 that names the field.
 */
public record RankRequest(String key, ObjectNode features, List<String> candidates, int topK, Integer deadlineMs, ObjectNode filter) {
    public static final int MAX_TOP_K = 1000, MAX_CANDIDATES = 10_000, DEFAULT_TOP_K = 10;

    public static RankRequest of(JsonNode body) {
        if (!body.isObject()) throw ApiError.badRequest("the body must be a JSON object, e.g. {\"key\": \"user-1\", \"top_k\": 10}");
        JsonNode key = body.get("key");
        if (key == null || !key.isTextual() || key.asText().isBlank() || key.asText().length() > 200) {
            throw ApiError.badRequest("key must be a non-empty string of at most 200 characters (e.g. the user id)");
        }
        JsonNode features = body.get("features");
        if (features != null && !features.isNull() && !features.isObject()) {
            throw ApiError.badRequest("features must be an object of feature values, e.g. {\"region\": \"north\"}");
        }
        JsonNode filter = body.get("filter");
        if (filter != null && !filter.isNull() && !filter.isObject()) {
            throw ApiError.badRequest("filter must be an object of pool fields, e.g. {\"region\": \"north\", \"x1\": {\"gte\": 1}}");
        }
        return new RankRequest(key.asText(), features == null || features.isNull() ? null : (ObjectNode) features,
            candidates(body.get("candidates")), Fields.integer(body, "top_k", 1, MAX_TOP_K, DEFAULT_TOP_K),
            Fields.deadline(body), filter == null || filter.isNull() ? null : (ObjectNode) filter);
    }

    private static List<String> candidates(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) throw ApiError.badRequest("candidates must be an array of item ids");
        if (node.size() > MAX_CANDIDATES) throw ApiError.badRequest("candidates has " + node.size() + " ids; at most " + MAX_CANDIDATES);
        List<String> ids = new ArrayList<>(node.size());
        for (JsonNode id : node) {
            if (!id.isTextual() && !id.isIntegralNumber()) throw ApiError.badRequest("candidates must hold item ids (strings), got " + id);
            ids.add(id.asText());
        }
        return ids;
    }
}
