package io.scoreline.bench.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The trivial JSON work both servers do per request: parse the body, answer a small ranked list. Same code, same cost. */
final class Answer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answer() {}

    static byte[] of(byte[] body) throws IOException {
        JsonNode request = JSON.readTree(body);
        String key = request.path("key").asText("anonymous");
        return JSON.writeValueAsBytes(Map.of("key", key, "source", "model",
            "items", List.of(Map.of("id", "a", "score", 0.9), Map.of("id", "b", "score", 0.5))));
    }
}
