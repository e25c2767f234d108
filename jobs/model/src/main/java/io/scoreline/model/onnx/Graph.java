package io.scoreline.model.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An ONNX model's inputs and outputs, as its own metadata declares them, in the graph's order. */
record Graph(Map<String, ValueInfo> inputs, Map<String, ValueInfo> outputs) {
    static Graph of(OrtSession session) throws OrtException {
        return new Graph(infos(session.getInputInfo()), infos(session.getOutputInfo()));
    }

    private static Map<String, ValueInfo> infos(Map<String, NodeInfo> nodes) {
        Map<String, ValueInfo> out = new LinkedHashMap<>();
        nodes.forEach((name, node) -> out.put(name, node.getInfo()));
        return out;
    }

    /** A tensor's width: its second dimension, 1 for a one-dimensional tensor, or -1 when the graph leaves it open. */
    static long width(TensorInfo tensor) {
        long[] shape = tensor.getShape();
        if (shape.length == 1) return 1;
        return shape.length == 2 && shape[1] > 0 ? shape[1] : -1;
    }

    static Optional<TensorInfo> tensor(ValueInfo info) {
        return info instanceof TensorInfo t ? Optional.of(t) : Optional.empty();
    }

    /** skl2onnx's ZipMap output: one map from class to probability per row. */
    static Optional<MapInfo> zipMap(ValueInfo info) {
        return info instanceof SequenceInfo s && s.isSequenceOfMaps() ? Optional.of(s.mapInfo) : Optional.empty();
    }

    static String describe(ValueInfo info) {
        if (info instanceof TensorInfo t) return ElemType.describe(t.type) + " tensor";
        if (zipMap(info).isPresent()) return "sequence of maps";
        return "non-tensor value";
    }
}
