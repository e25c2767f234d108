package io.scoreline.serve.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks of request fields shared by the endpoints. */
final class Fields {
    static final int MAX_DEADLINE_MS = 10_000;

    private Fields() {}

    static int integer(JsonNode body, String field, int min, int max, int fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw ApiError.badRequest(field + " must be an integer from " + min + " to " + max + ", got " + shorten(value));
        }
        return value.asInt();
    }

    static Integer deadline(JsonNode body) {
        return body.hasNonNull("deadline_ms") ? integer(body, "deadline_ms", 1, MAX_DEADLINE_MS, 0) : null;
    }

    static String shorten(JsonNode value) {
        String shown = value.toString();
        return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
    }
}
