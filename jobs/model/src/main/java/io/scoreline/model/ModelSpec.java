package io.scoreline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * models/&lt;name&gt;/&lt;version&gt;/model.json: everything needed to score without guessing: the byte format,
 * the ordered features with their types and defaults, the outputs, and the sha256 the bytes must match.
 */
public record ModelSpec(
    int schemaVersion,
    String name,
    String version,
    String format,
    String file,
    String sha256,
    long size,
    Task task,
    String algorithm,
    List<Feature> features,
    String target,
    List<String> classes,
    Instant createdAt,
    Map<String, Object> training,
    OnnxBinding onnx,
    Trees trees) {

    public static final int SCHEMA_VERSION = 1;
    public static final String SMILE = "smile";
    public static final String ONNX = "onnx";
    /** The file of a Smile ensemble's flattened trees, beside model.smile. */
    public static final String TREES_FILE = "model.trees";

    /**
     * model.trees, when register could flatten the Smile model: the trees a job loads instead of deserializing the
     * model, checked by their own sha256 as the model by its.
     */
    public record Trees(String file, String sha256, long size) {}

    /** A spec without an ONNX section (Smile models). */
    public ModelSpec(int schemaVersion, String name, String version, String format, String file, String sha256, long size,
                     Task task, String algorithm, List<Feature> features, String target, List<String> classes,
                     Instant createdAt, Map<String, Object> training) {
        this(schemaVersion, name, version, format, file, sha256, size, task, algorithm, features, target, classes, createdAt,
            training, null, null);
    }

    public enum Task {
        @JsonProperty("classification") CLASSIFICATION,
        @JsonProperty("regression") REGRESSION
    }

    /** One model input; {@code defaultValue} (JSON "default") fills a missing value, and null means reject. */
    public record Feature(String name, FeatureType type, @JsonProperty("default") JsonNode defaultValue, List<String> levels) {}

    public enum FeatureType {
        @JsonProperty("number") NUMBER,
        @JsonProperty("boolean") BOOLEAN,
        @JsonProperty("category") CATEGORY
    }

    public ModelSpec withIdentity(String newName, String newVersion, String newSha256, long newSize) {
        return new ModelSpec(schemaVersion, newName, newVersion, format, file, newSha256, newSize, task, algorithm, features,
            target, classes, createdAt, training, onnx, trees);
    }

    public ModelSpec withOnnx(OnnxBinding binding) {
        return new ModelSpec(schemaVersion, name, version, format, file, sha256, size, task, algorithm, features, target,
            classes, createdAt, training, binding, trees);
    }

    public ModelSpec withTrees(Trees stored) {
        return new ModelSpec(schemaVersion, name, version, format, file, sha256, size, task, algorithm, features, target,
            classes, createdAt, training, onnx, stored);
    }
}
