package io.scoreline.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an ONNX model (onnx.proto3) the tree scorer reads: the opsets, and the main graph's nodes with their
 * attributes, inputs and outputs. Read with {@link Wire} straight from the model's bytes; every other field is skipped.
 * A hand-written reader of a dozen fields instead of protobuf-java and the generated ONNX classes (about 2 MB in the
 * jar, and a protobuf version to keep in step with the rest of the classpath) for a model ONNX Runtime reads anyway.
 */
public final class OnnxProto {
    private OnnxProto() {}

    public record Model(Map<String, Long> opsets, Graph graph) {}

    /** {@code inputs} are the graph's inputs that are not initializers (the ones a caller feeds). */
    public record Graph(List<Node> nodes, List<String> inputs, List<String> outputs) {}

    public record Node(String opType, String domain, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {}

    /**
     * One attribute: {@code type} is ONNX's AttributeType (1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS,
     * 8 STRINGS); a tensor's values are read into {@code reals} (or {@code ints}) whatever its element type, or left
     * null when stored outside the model.
     */
    public record Attribute(String name, int type, double[] reals, long[] ints, List<String> strings) {
        public Optional<String> string() {
            return strings != null && strings.size() == 1 ? Optional.of(strings.get(0)) : Optional.empty();
        }
    }

    /** Reads a ModelProto; a malformed one throws {@link IllegalArgumentException}. */
    public static Model read(byte[] bytes) {
        try {
            Wire w = new Wire(bytes);
            Map<String, Long> opsets = new LinkedHashMap<>();
            Graph graph = null;
            for (int f; (f = w.next()) != 0; ) {
                if (f == 8 && w.type() == Wire.BYTES) {
                    Wire o = w.message();
                    String domain = "";
                    long version = 0;
                    for (int g; (g = o.next()) != 0; ) {
                        if (g == 1 && o.type() == Wire.BYTES) domain = o.string();
                        else if (g == 2 && o.type() == Wire.VARINT) version = o.varint();
                        else o.skip();
                    }
                    opsets.merge(domain.equals("ai.onnx") ? "" : domain, version, Math::max);
                } else if (f == 7 && w.type() == Wire.BYTES) {
                    graph = graph(w.message());
                } else {
                    w.skip();
                }
            }
            if (graph == null) throw new IllegalArgumentException("the model has no graph");
            return new Model(opsets, graph);
        } catch (Wire.Malformed e) {
            throw new IllegalArgumentException("not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    private static Graph graph(Wire w) {
        List<Node> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> initializers = new ArrayList<>();
        for (int f; (f = w.next()) != 0; ) {
            if (w.type() != Wire.BYTES) {
                w.skip();
                continue;
            }
            switch (f) {
                case 1 -> nodes.add(node(w.message()));
                case 5 -> initializers.add(name(w.message(), 8));
                case 11 -> inputs.add(name(w.message(), 1));
                case 12 -> outputs.add(name(w.message(), 1));
                default -> w.skip();
            }
        }
        inputs.removeAll(initializers);
        return new Graph(nodes, inputs, outputs);
    }

    private static String name(Wire w, int field) {
        String name = "";
        for (int f; (f = w.next()) != 0; ) {
            if (f == field && w.type() == Wire.BYTES) name = w.string();
            else w.skip();
        }
        return name;
    }

    private static Node node(Wire w) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        String domain = "";
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (int f; (f = w.next()) != 0; ) {
            if (w.type() != Wire.BYTES) {
                w.skip();
                continue;
            }
            switch (f) {
                case 1 -> inputs.add(w.string());
                case 2 -> outputs.add(w.string());
                case 4 -> op = w.string();
                case 5 -> {
                    Attribute a = attribute(w.message());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = w.string();
                default -> w.skip();
            }
        }
        return new Node(op, domain.equals("ai.onnx") ? "" : domain, inputs, outputs, attributes);
    }

    private static Attribute attribute(Wire w) {
        String name = "";
        int type = 0;
        Reals reals = new Reals();
        Longs ints = new Longs();
        List<String> strings = new ArrayList<>();
        boolean tensor = false;
        double[] tensorValues = null;
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 1 -> name = w.string();
                case 2 -> reals.add(Float.intBitsToFloat(w.fixed32()));
                case 3 -> ints.add(w.varint());
                case 4 -> strings.add(w.string());
                case 5 -> {
                    tensor = true;
                    tensorValues = tensor(w.message());
                }
                case 7 -> floats(w, reals);
                case 8 -> varints(w, ints);
                case 9 -> strings.add(w.string());
                case 20 -> type = (int) w.varint();
                default -> w.skip();
            }
        }
        if (tensor) return new Attribute(name, type, tensorValues, null, null);
        return new Attribute(name, type, reals.array(), ints.array(), strings);
    }

    /** A TensorProto's values as doubles (float, double and integer types), or null when they are stored elsewhere. */
    private static double[] tensor(Wire w) {
        int dataType = 0;
        byte[] raw = null;
        Reals values = new Reals();
        Longs integers = new Longs();
        boolean external = false;
        for (int f; (f = w.next()) != 0; ) {
            switch (f) {
                case 2 -> dataType = (int) w.varint();
                case 4 -> floats(w, values);
                case 5, 7 -> varints(w, integers);
                case 9 -> raw = w.raw();
                case 10 -> doubles(w, values);
                case 14 -> external = w.varint() == 1;
                default -> w.skip();
            }
        }
        if (external) return null;
        if (raw != null) {
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            return switch (dataType) {
                case 1 -> { double[] d = new double[raw.length / 4]; for (int i = 0; i < d.length; i++) d[i] = b.getFloat(); yield d; }
                case 11 -> { double[] d = new double[raw.length / 8]; for (int i = 0; i < d.length; i++) d[i] = b.getDouble(); yield d; }
                case 7 -> { double[] d = new double[raw.length / 8]; for (int i = 0; i < d.length; i++) d[i] = b.getLong(); yield d; }
                case 6 -> { double[] d = new double[raw.length / 4]; for (int i = 0; i < d.length; i++) d[i] = b.getInt(); yield d; }
                default -> null;
            };
        }
        if (dataType == 1 || dataType == 11) return values.array();
        if (dataType == 6 || dataType == 7) return Arrays.stream(integers.array()).asDoubleStream().toArray();
        return null;
    }

    private static void floats(Wire w, Reals out) {
        if (w.type() == Wire.FIXED32) {
            out.add(Float.intBitsToFloat(w.fixed32()));
            return;
        }
        Wire packed = w.message();
        while (!packed.atEnd()) out.add(Float.intBitsToFloat(packed.fixed32()));
    }

    private static void doubles(Wire w, Reals out) {
        if (w.type() == Wire.FIXED64) {
            out.add(Double.longBitsToDouble(w.fixed64()));
            return;
        }
        Wire packed = w.message();
        while (!packed.atEnd()) out.add(Double.longBitsToDouble(packed.fixed64()));
    }

    private static void varints(Wire w, Longs out) {
        if (w.type() == Wire.VARINT) {
            out.add(w.varint());
            return;
        }
        Wire packed = w.message();
        while (!packed.atEnd()) out.add(packed.varint());
    }

    /** A growing double array, so a tree of a million nodes is not a million boxed values. */
    private static final class Reals {
        private double[] values = new double[16];
        private int size;

        void add(double v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        double[] array() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class Longs {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        long[] array() {
            return Arrays.copyOf(values, size);
        }
    }
}
