package io.scoreline.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.model.ModelSpec.Feature;
import java.util.List;

/** Turns a document's feature fields into the model's ordered row, applying declared defaults. */
public final class Vectorizer {
    private final List<Feature> features;

    public Vectorizer(List<Feature> features) {
        this.features = List.copyOf(features);
    }

    /** Why a document cannot be scored. */
    public static final class InvalidFeature extends Exception {
        public InvalidFeature(String reason) {
            super(reason, null, false, false);
        }
    }

    public double[] row(ObjectNode values) throws InvalidFeature {
        double[] row = new double[features.size()];
        for (int i = 0; i < row.length; i++) {
            Feature f = features.get(i);
            JsonNode value = values == null ? null : values.get(f.name());
            if (value == null || value.isNull()) {
                if (f.defaultValue() == null || f.defaultValue().isNull()) {
                    throw new InvalidFeature("feature '" + f.name() + "' is missing and the model declares no default");
                }
                value = f.defaultValue();
            }
            row[i] = encode(f, value);
        }
        return row;
    }

    private static double encode(Feature f, JsonNode value) throws InvalidFeature {
        return switch (f.type()) {
            case NUMBER -> number(f, value);
            case BOOLEAN -> bool(f, value);
            case CATEGORY -> level(f, value);
        };
    }

    private static double number(Feature f, JsonNode value) throws InvalidFeature {
        double d;
        if (value.isNumber()) d = value.asDouble();
        else if (value.isTextual()) {
            try {
                d = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw invalid(f, value, "a number");
            }
        } else throw invalid(f, value, "a number");
        if (!Double.isFinite(d)) throw invalid(f, value, "a finite number");
        return d;
    }

    private static double bool(Feature f, JsonNode value) throws InvalidFeature {
        if (value.isBoolean()) return value.asBoolean() ? 1 : 0;
        if (value.isNumber() && (value.asDouble() == 0 || value.asDouble() == 1)) return value.asDouble();
        if (value.isTextual()) {
            switch (value.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> { return 1; }
                case "false", "0", "no" -> { return 0; }
                default -> { }
            }
        }
        throw invalid(f, value, "a boolean");
    }

    private static double level(Feature f, JsonNode value) throws InvalidFeature {
        int index = f.levels().indexOf(value.asText());
        if (index >= 0 && (value.isTextual() || value.isNumber() || value.isBoolean())) return index;
        if (f.defaultValue() != null && !f.defaultValue().isNull() && f.levels().contains(f.defaultValue().asText())) {
            return f.levels().indexOf(f.defaultValue().asText()); // unseen level: the declared default stands in
        }
        throw invalid(f, value, "one of " + f.levels());
    }

    private static InvalidFeature invalid(Feature f, JsonNode value, String expected) {
        String shown = value.toString();
        if (shown.length() > 40) shown = shown.substring(0, 40) + "…";
        return new InvalidFeature("feature '" + f.name() + "' is " + shown + ", expected " + expected);
    }
}
