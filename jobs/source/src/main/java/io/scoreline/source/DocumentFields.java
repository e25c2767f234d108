package io.scoreline.source;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields fetch uses from each document. A source that can project (Elasticsearch {@code _source} includes)
 * reads only these; the mapper above the source picks the same fields, so file and Elasticsearch agree.
 *
 * @param features the feature fields; empty means every field
 */
public record DocumentFields(String idField, String updatedField, List<String> features) {
    /** The id field that names the source's own document id rather than a field of the document. */
    public static final String SOURCE_ID = "_id";

    /** The fields to request from the source, or an empty list for the whole document. */
    public List<String> toRequest() {
        if (features.isEmpty()) return List.of();
        List<String> fields = new ArrayList<>(features);
        if (!idField.equals(SOURCE_ID)) fields.add(idField);
        fields.add(updatedField);
        return List.copyOf(fields);
    }
}
