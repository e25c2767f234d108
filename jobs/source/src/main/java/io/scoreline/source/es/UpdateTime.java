package io.scoreline.source.es;

import co.elastic.clients.elasticsearch.core.FieldCapsResponse;
import co.elastic.clients.elasticsearch.core.field_caps.FieldCapability;
import co.elastic.clients.json.JsonData;
import io.scoreline.core.error.JobException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How --updated-field is mapped in the indices read, checked before reading: a date (or date_nanos) field, compared
 * with ISO-8601 bounds, or a long holding epoch milliseconds. Anything else cannot express the window: exit 2.
 */
enum UpdateTime {
    DATE, DATE_NANOS, EPOCH_MILLIS;

    private static final Set<String> DATES = Set.of("date", "date_nanos");

    static UpdateTime of(Cluster cluster, String index, String field) {
        FieldCapsResponse caps = cluster.call("check the mapping of '" + field + "' in '" + index + "'",
            client -> client.fieldCaps(f -> f.index(index).fields(field)));
        if (caps.indices().isEmpty()) throw JobException.usage("no index matches --index '" + index + "'");
        Map<String, FieldCapability> byType = caps.fields().get(field);
        if (byType == null || byType.isEmpty()) {
            throw JobException.usage("field '" + field + "' is not mapped in '" + index + "': --updated-field must name a date field");
        }
        if (byType.containsKey("unmapped")) {
            throw JobException.usage("field '" + field + "' is not mapped in " + byType.get("unmapped").indices()
                + ": --updated-field must be a date field in every index of '" + index + "'");
        }
        Set<String> types = new TreeSet<>(byType.keySet());
        if (DATES.containsAll(types)) return types.contains("date_nanos") ? DATE_NANOS : DATE;
        if (types.equals(Set.of("long"))) return EPOCH_MILLIS;
        throw JobException.usage("field '" + field + "' in '" + index + "' is mapped as " + String.join(", ", types)
            + ": --updated-field needs a date (or an epoch-millisecond long)");
    }

    /** A window bound as the range query takes it for this mapping. */
    JsonData bound(Instant t) {
        return this == EPOCH_MILLIS ? JsonData.of(t.toEpochMilli()) : JsonData.of(t.toString());
    }

    /** The range query's format for the bounds (ISO-8601 whatever the field's own format), or null for numbers. */
    String format() {
        return this == EPOCH_MILLIS ? null : "strict_date_optional_time_nanos";
    }
}
