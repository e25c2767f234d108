package io.scoreline.model;

import java.util.List;

/**
 * model.json's "onnx" section: which features feed which input of the ONNX graph (in order), and which outputs hold
 * the answer: {@code label} and {@code probabilities} for a classifier, {@code value} for a regressor.
 */
public record OnnxBinding(List<Input> inputs, Outputs outputs) {
    /** One graph input, fed from {@code features} in this order; {@code elemType} is ONNX's name (float, int64, string…). */
    public record Input(String name, String elemType, List<String> features) {}

    public record Outputs(String label, String probabilities, String value) {}
}
