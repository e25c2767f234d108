package io.scoreline.serve.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** POST /v1/models/{model}/predict: {"rows": [{feature: value, "id"?: …}, …], "key"?, "deadline_ms"?}. */
public record PredictRequest(List<ObjectNode> rows, String key, Integer deadlineMs) {
    public static final int MAX_ROWS = 10_000;

    public static PredictRequest of(JsonNode body) {
        if (!body.isObject()) throw ApiError.badRequest("the body must be a JSON object, e.g. {\"rows\": [{\"tenure_months\": 3}]}");
        JsonNode rows = body.get("rows");
        if (rows == null || !rows.isArray() || rows.isEmpty()) {
            throw ApiError.badRequest("rows must be a non-empty array of feature objects, e.g. [{\"tenure_months\": 3}]");
        }
        if (rows.size() > MAX_ROWS) throw ApiError.badRequest("rows has " + rows.size() + " rows; at most " + MAX_ROWS);
        List<ObjectNode> list = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).isObject()) throw ApiError.badRequest("rows[" + i + "] must be an object of feature values");
            list.add((ObjectNode) rows.get(i));
        }
        JsonNode key = body.get("key");
        if (key != null && !key.isNull() && (!key.isTextual() || key.asText().isBlank() || key.asText().length() > 200)) {
            throw ApiError.badRequest("key must be a non-empty string of at most 200 characters");
        }
        return new PredictRequest(list, key == null || key.isNull() ? null : key.asText(), Fields.deadline(body));
    }
}
