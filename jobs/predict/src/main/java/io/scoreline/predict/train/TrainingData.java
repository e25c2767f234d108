package io.scoreline.predict.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.Vectorizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Training rows from NDJSON or CSV, with feature types and defaults inferred from the data, vectorized by the same
 * {@link Vectorizer} that scoring uses, so training and scoring cannot disagree on encodings.
 */
public final class TrainingData {
    public record Prepared(List<Feature> features, List<String> classes, double[][] x, double[] y, long skipped) {}

    private TrainingData() {}

    public static List<ObjectNode> read(Path file) {
        String name = file.getFileName().toString();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return name.matches(".*\\.csv(\\.gz)?$") ? csv(in) : ndjson(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw JobException.usage("no training file " + file);
        } catch (IOException | RuntimeException e) {
            throw JobException.usage("cannot read training data " + file + ": " + e.getMessage());
        }
    }

    private static List<ObjectNode> csv(InputStream in) throws IOException {
        List<ObjectNode> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                 .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            while (it.hasNext()) {
                ObjectNode row = Json.MAPPER.createObjectNode();
                it.next().forEach((k, v) -> row.set(k, v == null || v.isEmpty() ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(v)));
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<ObjectNode> ndjson(InputStream in) throws IOException {
        List<ObjectNode> rows = new ArrayList<>();
        var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) continue;
            if (Json.MAPPER.readTree(line) instanceof ObjectNode row) {
                // input.ndjson records nest features; plain documents have them at the top level
                rows.add(row.get("features") instanceof ObjectNode f ? merge(row, f) : row);
            }
        }
        return rows;
    }

    private static ObjectNode merge(ObjectNode row, ObjectNode features) {
        ObjectNode flat = features.deepCopy();
        row.properties().forEach(e -> { if (!e.getKey().equals("features")) flat.set(e.getKey(), e.getValue()); });
        return flat;
    }

    public static Task inferTask(List<ObjectNode> rows, String target) {
        Set<String> distinct = new TreeSet<>();
        boolean numeric = true;
        for (ObjectNode row : rows) {
            JsonNode v = row.get(target);
            if (v == null || v.isNull()) continue;
            distinct.add(v.asText());
            numeric &= isNumber(v);
        }
        return numeric && distinct.size() > 10 ? Task.REGRESSION : Task.CLASSIFICATION;
    }

    public static Prepared prepare(List<ObjectNode> rows, String target, List<String> chosen, Collection<String> excluded, Task task) {
        requireColumn(rows, "--target", target);
        chosen.forEach(name -> requireColumn(rows, "--features", name));
        List<String> names = chosen.isEmpty() ? featureNames(rows, target, excluded) : chosen;
        if (names.isEmpty()) throw JobException.usage("no feature columns besides the target '" + target + "'");
        List<Feature> features = names.stream().map(n -> infer(n, rows)).toList();
        List<String> classes = task == Task.CLASSIFICATION
            ? rows.stream().map(r -> r.get(target)).filter(v -> v != null && !v.isNull()).map(JsonNode::asText).distinct().sorted().toList()
            : null;
        if (classes != null && classes.size() < 2) {
            throw JobException.usage("target '" + target + "' has fewer than two classes in the training data");
        }
        Vectorizer vectorizer = new Vectorizer(features);
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        long skipped = 0;
        for (ObjectNode row : rows) {
            JsonNode t = row.get(target);
            if (t == null || t.isNull() || (classes == null && !isNumber(t))) {
                skipped++;
                continue;
            }
            try {
                x.add(vectorizer.row(row));
                y.add(classes != null ? classes.indexOf(t.asText()) : Double.parseDouble(t.asText()));
            } catch (Vectorizer.InvalidFeature e) {
                skipped++;
            }
        }
        if (x.size() < 10) throw JobException.usage("only " + x.size() + " usable training rows; need at least 10");
        return new Prepared(features, classes, x.toArray(double[][]::new), y.stream().mapToDouble(Double::doubleValue).toArray(), skipped);
    }

    /**
     * A misspelt --target would otherwise surface as "fewer than two classes" or "0 usable rows", a misspelt feature as
     * "no values".
     */
    private static void requireColumn(List<ObjectNode> rows, String option, String target) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> r.fieldNames().forEachRemaining(columns::add));
        if (columns.contains(target)) return;
        String nearest = columns.stream().min(java.util.Comparator.comparingInt(c -> distance(c, target))).orElse(null);
        String hint = nearest != null && distance(nearest, target) <= Math.max(2, target.length() / 3) ? "; did you mean '" + nearest + "'?" : "";
        throw JobException.usage(option + " '" + target + "' is not a column of the training data; columns found: "
            + (columns.isEmpty() ? "none" : String.join(", ", columns)) + hint);
    }

    /** Edit distance, case-insensitive: 'Churned' and 'churned' are neighbours. */
    private static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    private static List<String> featureNames(List<ObjectNode> rows, String target, Collection<String> excluded) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> r.fieldNames().forEachRemaining(names::add));
        names.remove(target);
        names.removeAll(excluded);
        return List.copyOf(names);
    }

    private static Feature infer(String name, List<ObjectNode> rows) {
        List<JsonNode> values = rows.stream().map(r -> r.get(name)).filter(v -> v != null && !v.isNull()).toList();
        if (values.isEmpty()) throw JobException.usage("feature '" + name + "' has no values in the training data");
        if (values.stream().allMatch(TrainingData::isBoolean)) {
            long trues = values.stream().filter(v -> v.asText().equalsIgnoreCase("true")).count();
            return new Feature(name, FeatureType.BOOLEAN, JsonNodeFactory.instance.booleanNode(trues * 2 >= values.size()), null);
        }
        if (values.stream().allMatch(TrainingData::isNumber)) {
            double mean = values.stream().mapToDouble(v -> Double.parseDouble(v.asText())).average().orElse(0);
            return new Feature(name, FeatureType.NUMBER, JsonNodeFactory.instance.numberNode(mean), null);
        }
        Map<String, Long> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v.asText(), 1L, Long::sum));
        String mostFrequent = counts.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
        return new Feature(name, FeatureType.CATEGORY, JsonNodeFactory.instance.textNode(mostFrequent), List.copyOf(new TreeSet<>(counts.keySet())));
    }

    private static boolean isBoolean(JsonNode v) {
        return v.isBoolean() || (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false")));
    }

    private static boolean isNumber(JsonNode v) {
        if (v.isNumber()) return Double.isFinite(v.asDouble());
        if (!v.isTextual()) return false;
        try {
            return Double.isFinite(Double.parseDouble(v.asText().trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
