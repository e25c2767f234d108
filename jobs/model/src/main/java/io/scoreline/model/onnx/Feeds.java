package io.scoreline.model.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.OnnxBinding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one session call's input tensors from vectorized rows: numbers as the input's element type, category
 * indexes back to their level text for string inputs. Buffers are direct, so ONNX Runtime reads them without a copy.
 */
final class Feeds {
    /** One graph input: its type, the row columns that feed it, and whether the graph wants [N] instead of [N, k]. */
    private record Plan(String name, ElemType type, int[] columns, boolean flat, List<List<String>> levels) {}

    private final OrtEnvironment env;
    private final List<Plan> plans;

    Feeds(OrtEnvironment env, ModelSpec spec, Graph graph) {
        this.env = env;
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < spec.features().size(); i++) column.put(spec.features().get(i).name(), i);
        this.plans = spec.onnx().inputs().stream().map(in -> new Plan(in.name(), ElemType.named(in.elemType()).orElseThrow(),
            in.features().stream().mapToInt(column::get).toArray(),
            Graph.tensor(graph.inputs().get(in.name())).orElseThrow().getShape().length == 1,
            in.features().stream().map(f -> spec.features().get(column.get(f))).map(Feature::levels).toList())).toList();
    }

    /** The tensors for rows[from..to); the caller closes them. */
    Map<String, OnnxTensor> build(double[][] rows, int from, int to) throws OrtException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Plan plan : plans) tensors.put(plan.name(), tensor(plan, rows, from, to));
            return tensors;
        } catch (OrtException | RuntimeException e) {
            close(tensors);
            throw e;
        }
    }

    static void close(Map<String, OnnxTensor> tensors) {
        tensors.values().forEach(OnnxTensor::close);
    }

    private OnnxTensor tensor(Plan plan, double[][] rows, int from, int to) throws OrtException {
        int n = to - from, k = plan.columns().length;
        long[] shape = plan.flat() ? new long[] {n} : new long[] {n, k};
        int[] cols = plan.columns();
        return switch (plan.type()) {
            case FLOAT -> {
                var b = direct(n * k, Float.BYTES).asFloatBuffer();
                for (int r = from; r < to; r++) for (int c : cols) b.put((float) rows[r][c]);
                yield OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case DOUBLE -> {
                var b = direct(n * k, Double.BYTES).asDoubleBuffer();
                for (int r = from; r < to; r++) for (int c : cols) b.put(rows[r][c]);
                yield OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case INT64 -> {
                var b = direct(n * k, Long.BYTES).asLongBuffer();
                for (int r = from; r < to; r++) for (int c : cols) b.put(Math.round(rows[r][c]));
                yield OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case INT32 -> {
                var b = direct(n * k, Integer.BYTES).asIntBuffer();
                for (int r = from; r < to; r++) for (int c : cols) b.put((int) Math.round(rows[r][c]));
                yield OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case BOOL -> {
                var b = direct(n * k, 1);
                for (int r = from; r < to; r++) for (int c : cols) b.put((byte) (rows[r][c] != 0 ? 1 : 0));
                yield OnnxTensor.createTensor(env, b.rewind(), shape, OnnxJavaType.BOOL);
            }
            case STRING -> {
                String[] text = new String[n * k];
                int i = 0;
                for (int r = from; r < to; r++) {
                    for (int j = 0; j < k; j++) text[i++] = plan.levels().get(j).get((int) rows[r][cols[j]]);
                }
                yield OnnxTensor.createTensor(env, text, shape);
            }
        };
    }

    private static ByteBuffer direct(int count, int bytes) {
        return ByteBuffer.allocateDirect(count * bytes).order(ByteOrder.nativeOrder());
    }
}
