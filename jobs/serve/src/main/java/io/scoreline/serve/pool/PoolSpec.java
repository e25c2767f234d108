package io.scoreline.serve.pool;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One named pool of items from the pools file: the index (or alias, or pattern), an optional Query DSL filter, the id
 * and update-time fields, the feature fields to keep (empty: every field), and the fields a request may filter on with
 * their type (keyword, number or boolean; read from Elasticsearch beside the features).
 */
public record PoolSpec(String name, String index, JsonNode query, @JsonProperty("id_field") String idField,
                       @JsonProperty("updated_field") String updatedField, List<String> features,
                       @JsonProperty("filter_fields") Map<String, String> filterFields) {
    public PoolSpec {
        if (idField == null) idField = "id";
        if (updatedField == null) updatedField = "updated_at";
        features = features == null ? List.of() : List.copyOf(features);
        filterFields = filterFields == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(filterFields));
    }

    public PoolSpec(String name, String index, JsonNode query, String idField, String updatedField, List<String> features) {
        this(name, index, query, idField, updatedField, features, null);
    }

    /** The fields read from Elasticsearch: the features and the filter fields (empty: every field). */
    List<String> readFields() {
        if (features.isEmpty()) return features;
        var fields = new java.util.LinkedHashSet<>(features);
        fields.addAll(filterFields.keySet());
        return List.copyOf(fields);
    }
}
