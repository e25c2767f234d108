package io.scoreline.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec.Feature;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one check of model.json against the contract (docs/model.schema.json), used at register (a usage error) and at
 * load (a model error). Returns the first problem in the user's terms, so both sides report the same line.
 */
public final class ModelSpecCheck {
    static final int MAX_FEATURES = 10_000;
    static final int MAX_LEVELS = 100_000;
    static final int MAX_CLASSES = 10_000;
    static final int MAX_NAME_LENGTH = 200;
    static final long MAX_SIZE = 4L << 30;

    /** model.json files larger than this are refused unread. */
    public static final long MAX_SPEC_BYTES = 64L << 20;

    private ModelSpecCheck() {}

    /**
     * Parses and checks model.json; {@code refuse} turns the one-line reason (prefixed with {@code what}) into the
     * caller's error: a usage error at register, a model error at load.
     */
    public static ModelSpec read(byte[] bytes, String what, Function<String, RuntimeException> refuse) {
        ModelSpec spec;
        try {
            spec = Json.MAPPER.readValue(bytes, ModelSpec.class);
        } catch (JsonMappingException e) {
            throw refuse.apply(what + ": " + field(e) + " has a value of the wrong type or an unknown value");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw refuse.apply(what + " is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw refuse.apply(what + " cannot be read: " + e.getMessage());
        }
        if (spec == null) throw refuse.apply(what + " is empty");
        Optional<String> problem = problem(spec);
        if (problem.isPresent()) throw refuse.apply(what + ": " + problem.get());
        return spec;
    }

    private static String field(JsonMappingException e) {
        String path = e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + (r.getIndex() + 1) + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "the document" : "'" + path + "'";
    }

    public static Optional<String> problem(ModelSpec spec) {
        if (spec.schemaVersion() != ModelSpec.SCHEMA_VERSION) {
            return Optional.of("schema_version is " + spec.schemaVersion() + "; this build reads " + ModelSpec.SCHEMA_VERSION);
        }
        if (spec.format() == null) return Optional.of("format is missing (smile or onnx)");
        if (!List.of("smile", "onnx").contains(spec.format())) {
            return Optional.of("format '" + spec.format() + "' is unknown (smile or onnx)");
        }
        if (!("model." + spec.format()).equals(spec.file())) {
            return Optional.of("file must be model." + spec.format() + " for format " + spec.format() + ", not '" + spec.file() + "'");
        }
        if (spec.task() == null) return Optional.of("task is missing (classification or regression)");
        if (spec.sha256() != null && !spec.sha256().matches("[0-9a-f]{64}")) {
            return Optional.of("sha256 is not 64 lowercase hex digits");
        }
        if (spec.size() < 0 || spec.size() > MAX_SIZE) return Optional.of("size " + spec.size() + " is out of range (0.." + MAX_SIZE + ")");
        return trees(spec).or(() -> features(spec.features())).or(() -> classes(spec));
    }

    private static Optional<String> trees(ModelSpec spec) {
        ModelSpec.Trees trees = spec.trees();
        if (trees == null) return Optional.empty();
        if (!ModelSpec.SMILE.equals(spec.format())) return Optional.of("trees are only stored beside a smile model");
        if (!ModelSpec.TREES_FILE.equals(trees.file())) return Optional.of("trees.file must be " + ModelSpec.TREES_FILE);
        if (trees.sha256() == null || !trees.sha256().matches("[0-9a-f]{64}")) {
            return Optional.of("trees.sha256 is not 64 lowercase hex digits");
        }
        if (trees.size() < 1 || trees.size() > MAX_SIZE) return Optional.of("trees.size " + trees.size() + " is out of range (1.." + MAX_SIZE + ")");
        return Optional.empty();
    }

    private static Optional<String> features(List<Feature> features) {
        if (features == null || features.isEmpty()) return Optional.of("features are missing: list the model's inputs in order");
        if (features.size() > MAX_FEATURES) return Optional.of(features.size() + " features exceed the limit of " + MAX_FEATURES);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            if (f == null || f.name() == null || f.name().isBlank()) return Optional.of("feature " + (i + 1) + " has no name");
            if (f.name().length() > MAX_NAME_LENGTH) return Optional.of("feature " + (i + 1) + " has a name longer than " + MAX_NAME_LENGTH);
            if (!seen.add(f.name())) return Optional.of("feature '" + f.name() + "' is listed twice");
            if (f.type() == null) return Optional.of("feature '" + f.name() + "' has no type (number, boolean or category)");
            if (f.type() == ModelSpec.FeatureType.CATEGORY) {
                if (f.levels() == null || f.levels().isEmpty()) return Optional.of("category feature '" + f.name() + "' lists no levels");
                if (f.levels().size() > MAX_LEVELS) {
                    return Optional.of("category feature '" + f.name() + "' has " + f.levels().size() + " levels, over the limit of " + MAX_LEVELS);
                }
                if (new HashSet<>(f.levels()).size() != f.levels().size()) {
                    return Optional.of("category feature '" + f.name() + "' lists a level twice");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> classes(ModelSpec spec) {
        if (spec.task() != ModelSpec.Task.CLASSIFICATION) return Optional.empty();
        List<String> classes = spec.classes();
        if (classes == null || classes.size() < 2) return Optional.of("a classification model lists fewer than two classes");
        if (classes.size() > MAX_CLASSES) return Optional.of(classes.size() + " classes exceed the limit of " + MAX_CLASSES);
        if (classes.contains(null) || new HashSet<>(classes).size() != classes.size()) {
            return Optional.of("classes must be distinct, non-null names");
        }
        return Optional.empty();
    }
}
