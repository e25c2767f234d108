package io.scoreline.model.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.OnnxBinding;
import io.scoreline.model.OnnxBinding.Input;
import io.scoreline.model.OnnxBinding.Outputs;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Matches model.json's features and onnx section with what the graph itself declares: derives the section when
 * model.json has none (register) and checks it (register and load), so a model that does not fit is refused with the
 * feature or output that differs instead of failing at the first scoring run.
 */
final class Binder {
    /** Why the model does not fit its model.json, in one line. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<OnnxJavaType> LABELS = Set.of(OnnxJavaType.INT64, OnnxJavaType.INT32, OnnxJavaType.STRING);
    private static final Set<OnnxJavaType> REALS = Set.of(OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE);

    private final ModelSpec spec;
    private final Graph graph;
    private final Map<String, Feature> features;

    Binder(ModelSpec spec, Graph graph) {
        this.spec = spec;
        this.graph = graph;
        this.features = spec.features().stream().collect(Collectors.toMap(Feature::name, f -> f, (a, b) -> a));
    }

    /** The section for a model.json without one: inputs named after the features, or one tensor input taking them all. */
    OnnxBinding derive() {
        return new OnnxBinding(deriveInputs(), deriveOutputs());
    }

    private List<Input> deriveInputs() {
        List<String> names = List.copyOf(graph.inputs().keySet());
        if (names.stream().allMatch(features::containsKey)) {
            return names.stream().map(n -> new Input(n, elemOf(n), List.of(n))).toList();
        }
        if (names.size() == 1) {
            return List.of(new Input(names.get(0), elemOf(names.get(0)), spec.features().stream().map(Feature::name).toList()));
        }
        String stranger = names.stream().filter(n -> !features.containsKey(n)).findFirst().orElseThrow();
        throw new Mismatch("the ONNX model has input '" + stranger + "', which is not a feature in model.json (its inputs: "
            + String.join(", ", names) + ")");
    }

    private String elemOf(String input) {
        TensorInfo tensor = Graph.tensor(graph.inputs().get(input))
            .orElseThrow(() -> new Mismatch("ONNX input '" + input + "' is a " + Graph.describe(graph.inputs().get(input))
                + "; predict feeds tensors only"));
        return ElemType.of(tensor.type).map(t -> t.text).orElseThrow(() -> new Mismatch("ONNX input '" + input
            + "' takes " + ElemType.describe(tensor.type) + " values; predict feeds " + ElemType.NAMES));
    }

    private Outputs deriveOutputs() {
        if (spec.task() == Task.REGRESSION) {
            return new Outputs(null, null, firstOutput(info -> Graph.tensor(info).filter(t -> REALS.contains(t.type)).isPresent(),
                "value output (a float or double tensor)"));
        }
        String label = firstOutput(info -> Graph.tensor(info).filter(t -> LABELS.contains(t.type)).isPresent(),
            "label output (an int64 or string tensor)");
        String probabilities = firstOutput(info -> Graph.tensor(info).filter(t -> REALS.contains(t.type)).isPresent()
            || Graph.zipMap(info).isPresent(), "probability output (a float tensor or a ZipMap)");
        return new Outputs(label, probabilities, null);
    }

    private String firstOutput(Predicate<ValueInfo> fits, String what) {
        return graph.outputs().entrySet().stream().filter(e -> fits.test(e.getValue())).map(Map.Entry::getKey).findFirst()
            .orElseThrow(() -> new Mismatch("the ONNX model has no " + what + " for a " + task() + " model (its outputs: "
                + String.join(", ", graph.outputs().keySet()) + ")"));
    }

    /** Throws a {@link Mismatch} naming the first feature, input or output that does not fit. */
    void check(OnnxBinding binding) {
        if (binding == null || binding.inputs() == null || binding.inputs().isEmpty() || binding.outputs() == null) {
            throw new Mismatch("model.json's onnx section must list the inputs and name the outputs");
        }
        Set<String> fed = new HashSet<>();
        Set<String> inputs = new HashSet<>();
        for (Input input : binding.inputs()) {
            checkInput(input);
            if (!inputs.add(input.name())) throw new Mismatch("model.json feeds ONNX input '" + input.name() + "' twice");
            fed.addAll(input.features());
        }
        for (String name : graph.inputs().keySet()) {
            if (!inputs.contains(name)) {
                throw new Mismatch("the ONNX model takes input '" + name + "' (" + Graph.describe(graph.inputs().get(name))
                    + "), which no feature in model.json feeds");
            }
        }
        for (Feature f : spec.features()) {
            if (!fed.contains(f.name())) throw new Mismatch("feature '" + f.name() + "' feeds no input of the ONNX model");
        }
        checkOutputs(binding.outputs());
    }

    private void checkInput(Input input) {
        ValueInfo info = graph.inputs().get(input.name());
        List<String> names = input.features() == null ? List.of() : input.features();
        if (info == null) {
            String what = names.equals(List.of(input.name())) ? "feature '" + input.name() + "' is not an input of the ONNX model"
                : "model.json feeds ONNX input '" + input.name() + "', which the model does not have";
            throw new Mismatch(what + " (its inputs: " + String.join(", ", graph.inputs().keySet()) + ")");
        }
        if (names.isEmpty()) throw new Mismatch("model.json feeds ONNX input '" + input.name() + "' no features");
        ElemType declared = ElemType.named(input.elemType()).orElseThrow(() -> new Mismatch("ONNX input '" + input.name()
            + "' has elem_type '" + input.elemType() + "' in model.json; predict feeds " + ElemType.NAMES));
        String actual = elemOf(input.name());
        if (!declared.text.equals(actual)) {
            throw new Mismatch("ONNX input '" + input.name() + "' takes " + actual + " values, but model.json says " + declared.text);
        }
        for (String name : names) {
            Feature f = features.get(name);
            if (f == null) throw new Mismatch("ONNX input '" + input.name() + "' is fed feature '" + name + "', which model.json's features do not list");
            if (declared == ElemType.STRING && f.type() != FeatureType.CATEGORY) {
                throw new Mismatch("feature '" + name + "' is a " + f.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " but feeds string input '" + input.name() + "'; only category features feed string inputs");
            }
        }
        long width = Graph.width(Graph.tensor(info).orElseThrow());
        if (width > 0 && width != names.size()) {
            if (names.size() > width) {
                throw new Mismatch("feature '" + names.get((int) width) + "' has no place in ONNX input '" + input.name()
                    + "', which takes " + width + " values per row (model.json feeds it " + names.size() + " features)");
            }
            throw new Mismatch("ONNX input '" + input.name() + "' takes " + width + " values per row but model.json feeds it "
                + names.size() + " features: the model expects a feature after '" + names.get(names.size() - 1) + "'");
        }
    }

    private void checkOutputs(Outputs outputs) {
        if (spec.task() == Task.REGRESSION) {
            if (outputs.value() == null || outputs.label() != null || outputs.probabilities() != null) {
                throw new Mismatch("a regression model's onnx outputs name one value output, not a label or probabilities");
            }
            output(outputs.value(), "value", Graph::tensor).filter(t -> REALS.contains(t.type))
                .orElseThrow(() -> wrongOutput(outputs.value(), "a float or double tensor"));
            return;
        }
        if (outputs.label() == null || outputs.probabilities() == null || outputs.value() != null) {
            throw new Mismatch("a classification model's onnx outputs name a label and a probabilities output, not a value");
        }
        output(outputs.label(), "label", Graph::tensor).filter(t -> LABELS.contains(t.type))
            .orElseThrow(() -> wrongOutput(outputs.label(), "an int64 or string tensor"));
        ValueInfo probabilities = output(outputs.probabilities(), "probabilities", Optional::of).orElseThrow();
        Optional<MapInfo> zipMap = Graph.zipMap(probabilities);
        if (zipMap.isPresent()) {
            if (!LABELS.contains(zipMap.get().keyType) || !REALS.contains(zipMap.get().valueType)) {
                throw wrongOutput(outputs.probabilities(), "a map from class to probability");
            }
            return;
        }
        TensorInfo tensor = Graph.tensor(probabilities).filter(t -> REALS.contains(t.type))
            .orElseThrow(() -> wrongOutput(outputs.probabilities(), "a float tensor or a ZipMap"));
        long width = Graph.width(tensor);
        if (width > 0 && width != spec.classes().size()) {
            throw new Mismatch("the ONNX model gives " + width + " class probabilities per row but model.json lists "
                + spec.classes().size() + " classes (" + String.join(", ", spec.classes()) + ")");
        }
    }

    private <T> Optional<T> output(String name, String role, Function<ValueInfo, Optional<T>> as) {
        ValueInfo info = graph.outputs().get(name);
        if (info == null) {
            throw new Mismatch("model.json names '" + name + "' as the " + role + " output, which the ONNX model does not have"
                + " (its outputs: " + String.join(", ", graph.outputs().keySet()) + ")");
        }
        return as.apply(info);
    }

    private Mismatch wrongOutput(String name, String expected) {
        return new Mismatch("ONNX output '" + name + "' is a " + Graph.describe(graph.outputs().get(name)) + ", not "
            + expected + " as a " + task() + " model needs");
    }

    private String task() {
        return spec.task().name().toLowerCase(java.util.Locale.ROOT);
    }
}
