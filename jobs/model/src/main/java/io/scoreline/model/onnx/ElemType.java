package io.scoreline.model.onnx;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The tensor element types predict can feed, by their names in model.json's onnx.inputs[].elem_type. */
enum ElemType {
    FLOAT("float", OnnxJavaType.FLOAT),
    DOUBLE("double", OnnxJavaType.DOUBLE),
    INT64("int64", OnnxJavaType.INT64),
    INT32("int32", OnnxJavaType.INT32),
    BOOL("bool", OnnxJavaType.BOOL),
    STRING("string", OnnxJavaType.STRING);

    static final String NAMES = "float, double, int64, int32, bool, string";

    final String text;
    final OnnxJavaType java;

    ElemType(String text, OnnxJavaType java) {
        this.text = text;
        this.java = java;
    }

    static Optional<ElemType> named(String text) {
        return Arrays.stream(values()).filter(t -> t.text.equals(text)).findFirst();
    }

    static Optional<ElemType> of(OnnxJavaType java) {
        return Arrays.stream(values()).filter(t -> t.java == java).findFirst();
    }

    /** ONNX's own name for a type predict cannot feed, for messages. */
    static String describe(OnnxJavaType type) {
        return of(type).map(t -> t.text).orElse(type.name().toLowerCase(Locale.ROOT));
    }
}
