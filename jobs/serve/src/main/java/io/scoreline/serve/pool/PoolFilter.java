package io.scoreline.serve.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Document;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A request's filter on a pool's declared filter fields, checked against their types and evaluated on the items in
 * memory (never a query to Elasticsearch). Every field must hold: {@code "region": "north"} (equality),
 * {@code "region": ["north", "east"]} (one of), {@code "x1": {"gte": 1, "lt": 5}} (a range, number fields only).
 * An item without the field, or with a value of another type, does not match.
 */
public final class PoolFilter {
    public static final Set<String> TYPES = Set.of("keyword", "number", "boolean");
    public static final int MAX_VALUES = 1000;
    private static final Set<String> RANGE = Set.of("gt", "gte", "lt", "lte");

    /** A filter the pool cannot evaluate, in the caller's terms. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Predicate<ObjectNode>> clauses;

    private PoolFilter(List<Predicate<ObjectNode>> clauses) {
        this.clauses = clauses;
    }

    /** Checks {@code filter} (a JSON object) against the pool's declared fields and types. */
    public static PoolFilter of(PoolSpec pool, ObjectNode filter) {
        Map<String, String> declared = pool.filterFields();
        List<Predicate<ObjectNode>> clauses = new ArrayList<>();
        for (Map.Entry<String, JsonNode> clause : filter.properties()) {
            String field = clause.getKey();
            String type = declared.get(field);
            if (type == null) {
                throw new Invalid("filter: '" + field + "' is not a filter field of pool '" + pool.name() + "'; "
                    + (declared.isEmpty() ? "it declares none (filter_fields in --pools)" : "its filter fields: " + declared.keySet()));
            }
            clauses.add(clause(field, type, clause.getValue()));
        }
        return new PoolFilter(List.copyOf(clauses));
    }

    public boolean matches(Document item) {
        ObjectNode fields = item.features();
        for (Predicate<ObjectNode> clause : clauses) if (!clause.test(fields)) return false;
        return true;
    }

    private static Predicate<ObjectNode> clause(String field, String type, JsonNode value) {
        if (value.isArray()) {
            if (value.isEmpty() || value.size() > MAX_VALUES) {
                throw new Invalid("filter: '" + field + "' must list 1 to " + MAX_VALUES + " values, got " + value.size());
            }
            Set<Object> allowed = new HashSet<>();
            for (JsonNode one : value) allowed.add(key(field, type, one));
            return item -> allowed.contains(itemKey(type, item.get(field)));
        }
        if (value.isObject()) return range(field, type, value);
        Object wanted = key(field, type, value);
        return item -> wanted.equals(itemKey(type, item.get(field)));
    }

    private static Predicate<ObjectNode> range(String field, String type, JsonNode bounds) {
        if (!type.equals("number")) {
            throw new Invalid("filter: '" + field + "' is a " + type + " field: a range ({\"gte\": …}) needs a number field");
        }
        if (bounds.isEmpty()) throw new Invalid("filter: '" + field + "': a range needs gt, gte, lt or lte");
        double low = Double.NEGATIVE_INFINITY, high = Double.POSITIVE_INFINITY;
        boolean lowIncluded = true, highIncluded = true;
        for (Map.Entry<String, JsonNode> bound : bounds.properties()) {
            String op = bound.getKey();
            if (!RANGE.contains(op)) throw new Invalid("filter: '" + field + "': unknown range operator '" + op + "'; use gt, gte, lt or lte");
            double limit = (Double) key(field + "." + op, type, bound.getValue());
            switch (op) {
                case "gt" -> { low = limit; lowIncluded = false; }
                case "gte" -> { low = limit; lowIncluded = true; }
                case "lt" -> { high = limit; highIncluded = false; }
                default -> { high = limit; highIncluded = true; }
            }
        }
        double lo = low, hi = high;
        boolean loIn = lowIncluded, hiIn = highIncluded;
        return item -> {
            JsonNode v = item.get(field);
            if (v == null || !v.isNumber()) return false;
            double x = v.asDouble();
            return (loIn ? x >= lo : x > lo) && (hiIn ? x <= hi : x < hi);
        };
    }

    /** The request's value as the type's comparable key: a 400 when it is not of the field's type. */
    private static Object key(String field, String type, JsonNode value) {
        Object key = itemKey(type, value);
        if (key == null) {
            String shown = value.toString();
            throw new Invalid("filter: '" + field + "' is a " + type + " field, got " + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown));
        }
        return key;
    }

    private static Object itemKey(String type, JsonNode value) {
        if (value == null) return null;
        return switch (type) {
            case "number" -> value.isNumber() && Double.isFinite(value.asDouble()) ? value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? value.asBoolean() : null;
            default -> value.isTextual() ? value.asText() : null;
        };
    }
}
