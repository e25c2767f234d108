package io.scoreline.serve.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One named pool of items from the pools file: the index (or alias, or pattern), an optional Query DSL filter, the id
 * and update-time fields, and the feature fields to keep (empty: every field).
 */
public record PoolSpec(String name, String index, JsonNode query, @JsonProperty("id_field") String idField,
                       @JsonProperty("updated_field") String updatedField, List<String> features) {
    public PoolSpec {
        if (idField == null) idField = "id";
        if (updatedField == null) updatedField = "updated_at";
        features = features == null ? List.of() : List.copyOf(features);
    }
}
