package io.scoreline.source.es;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.error.Causes;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** --query: Query DSL that restricts the pool, inline or {@code @file}; a {"query": …} wrapper (as copied from Kibana) is accepted. */
public final class UserQuery {
    private UserQuery() {}

    /** The query, or null when none was given. */
    public static Query parse(String option) {
        if (option == null || option.isBlank()) return null;
        String json = option.startsWith("@") ? read(Path.of(option.substring(1))) : option;
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw JobException.usage("--query is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) throw JobException.usage("--query must be a JSON object of Query DSL, e.g. {\"term\":{\"active\":true}}");
        if (node.size() == 1 && node.has("query")) node = node.get("query");
        String query = node.toString();
        try {
            return Query.of(q -> q.withJson(new StringReader(query)));
        } catch (RuntimeException e) {  // the client's JSON mapping errors are unchecked
            throw JobException.usage("--query is not Query DSL the client knows: " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw JobException.usage("cannot read --query file " + file + ": " + Causes.describe(e));
        }
    }
}
