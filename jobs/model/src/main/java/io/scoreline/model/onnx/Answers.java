package io.scoreline.model.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.OnnxBinding.Outputs;
import io.scoreline.model.Score;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Reads one session call's outputs into Scores: a value, or a label with its per-class probabilities in model.json's order. */
final class Answers {
    private final Outputs outputs;
    private final boolean classifier;
    private final List<String> classes;
    private final Map<String, Integer> classIndex = new HashMap<>();

    Answers(ModelSpec spec) {
        this.outputs = spec.onnx().outputs();
        this.classifier = spec.task() == Task.CLASSIFICATION;
        this.classes = classifier ? spec.classes() : List.of();
        for (int i = 0; i < classes.size(); i++) classIndex.put(classes.get(i), i);
    }

    Set<String> names() {
        return classifier ? Set.of(outputs.label(), outputs.probabilities()) : Set.of(outputs.value());
    }

    /** Fills out[from..from+n) from the result of scoring n rows. */
    void read(OrtSession.Result result, int n, Score[] out, int from) throws OrtException {
        if (!classifier) {
            double[] values = reals((OnnxTensor) value(result, outputs.value()), n, "value");
            int width = values.length / n;
            for (int i = 0; i < n; i++) out[from + i] = Score.regression(values[i * width]);
            return;
        }
        String[] labels = labels((OnnxTensor) value(result, outputs.label()), n);
        double[][] probabilities = probabilities(value(result, outputs.probabilities()), n);
        for (int i = 0; i < n; i++) {
            Integer index = classIndex.get(labels[i]);
            out[from + i] = new Score(index == null ? -1 : index, labels[i], probabilities[i]);
        }
    }

    private static OnnxValue value(OrtSession.Result result, String name) {
        return result.get(name).orElseThrow(() -> new IllegalStateException("ONNX Runtime returned no output '" + name + "'"));
    }

    private static String[] labels(OnnxTensor tensor, int n) throws OrtException {
        OnnxJavaType type = tensor.getInfo().type;
        String[] labels = new String[n];
        if (type == OnnxJavaType.STRING) {
            Object value = tensor.getValue();
            String[] flat = value instanceof String[][] nested ? Stream.of(nested).flatMap(Stream::of).toArray(String[]::new) : (String[]) value;
            System.arraycopy(flat, 0, labels, 0, n);
        } else if (type == OnnxJavaType.INT64) {
            var b = tensor.getLongBuffer();
            for (int i = 0; i < n; i++) labels[i] = Long.toString(b.get(i));
        } else {
            var b = tensor.getIntBuffer();
            for (int i = 0; i < n; i++) labels[i] = Integer.toString(b.get(i));
        }
        return labels;
    }

    private double[][] probabilities(OnnxValue value, int n) throws OrtException {
        double[][] rows = new double[n][];
        if (value instanceof OnnxSequence zipMap) {
            List<? extends OnnxValue> maps = zipMap.getValue();
            for (int i = 0; i < n; i++) rows[i] = byClass(((OnnxMap) maps.get(i)).getValue());
            return rows;
        }
        double[] flat = reals((OnnxTensor) value, n, "probabilities");
        int c = classes.size();
        if (flat.length != (long) n * c) {
            throw new IllegalStateException("the ONNX model gave " + flat.length / n + " probabilities per row for " + c + " classes");
        }
        for (int i = 0; i < n; i++) rows[i] = Arrays.copyOfRange(flat, i * c, i * c + c);
        return rows;
    }

    private double[] byClass(Map<?, ?> map) {
        double[] row = new double[classes.size()];
        for (var e : map.entrySet()) {
            Integer index = classIndex.get(String.valueOf(e.getKey()));
            if (index == null) throw new IllegalStateException("the ONNX model gives a probability for class '" + e.getKey()
                + "', which model.json's classes do not list");
            row[index] = ((Number) e.getValue()).doubleValue();
        }
        return row;
    }

    private static double[] reals(OnnxTensor tensor, int n, String what) {
        long count = tensor.getInfo().getNumElements();
        if (count < n || count % n != 0) throw new IllegalStateException("the ONNX model's " + what + " output has " + count + " values for " + n + " rows");
        double[] out = new double[(int) count];
        if (tensor.getInfo().type == OnnxJavaType.DOUBLE) {
            DoubleBuffer b = tensor.getDoubleBuffer();
            b.get(out);
        } else {
            FloatBuffer b = tensor.getFloatBuffer();
            for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        }
        return out;
    }
}
