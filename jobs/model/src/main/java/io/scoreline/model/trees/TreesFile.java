package io.scoreline.model.trees;

import io.scoreline.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * model.trees: a Smile ensemble's {@link FlatForest} as plain big-endian arrays, written at register beside
 * model.smile so that a job loads the trees in a few milliseconds instead of deserializing the Smile model (0.3 s of
 * CPU in a fresh JVM). It names the features and classes it was made for: the column of each split was bound by name,
 * at register, and a model.json changed since then sends the loader back to the Smile model. Layout: magic, format
 * version, combine, bias, leaf width, feature names, class names, per tree its root and slot, per node its kind
 * (leaf, or a split's test and NaN side), per split its feature, threshold and first child, per leaf the offset of its
 * values, then the values: a leaf's other fields are the same in every leaf, so they are not stored (a third less to
 * read and hash than every node's every field).
 */
final class TreesFile {
    private static final int MAGIC = 0x534c5452; // "SLTR"
    private static final int VERSION = 1;
    /** Deeper trees are left to Smile: the checks and layouts that follow a tree recurse once per level. */
    static final int MAX_DEPTH = 500;
    /** A node's kind byte: a leaf, or a split's test in bits 0-1 and its NaN side in bit 2. */
    private static final byte LEAF = 8;

    private TreesFile() {}

    static Optional<byte[]> write(SmileTrees trees, ModelSpec spec) {
        FlatForest f = trees.forest;
        for (int depth : f.depths()) if (depth > MAX_DEPTH) return Optional.empty();
        var buffer = new ByteArrayOutputStream(64 + f.feature().length * 10 + f.values().length * 8);
        try (var out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            text(out, trees.combine.name());
            out.writeDouble(trees.bias);
            out.writeInt(f.width());
            names(out, spec.features().stream().map(ModelSpec.Feature::name).toList());
            names(out, spec.classes());
            ints(out, f.roots());
            for (int s : f.slot()) out.writeInt(s);
            int nodes = f.feature().length;
            out.writeInt(nodes);
            for (int n = 0; n < nodes; n++) out.writeByte(leaf(f, n) ? LEAF : f.test()[n] | f.nan()[n] << 2);
            for (int n = 0; n < nodes; n++) if (!leaf(f, n)) out.writeInt(f.feature()[n]);
            for (int n = 0; n < nodes; n++) if (!leaf(f, n)) out.writeDouble(f.threshold()[n]);
            for (int n = 0; n < nodes; n++) if (!leaf(f, n)) out.writeInt(f.child()[n]);
            for (int n = 0; n < nodes; n++) if (leaf(f, n)) out.writeInt(f.leafValue()[n]);
            out.writeInt(f.values().length);
            for (double v : f.values()) out.writeDouble(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return Optional.of(buffer.toByteArray());
    }

    static Optional<SmileTrees> read(byte[] bytes, ModelSpec spec) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (bytes.length < 8 || in.getInt() != MAGIC) throw new IllegalArgumentException("it is not a model.trees file");
            if (in.getInt() != VERSION) return Optional.empty();
            Combine combine = combine(text(in));
            double bias = in.getDouble();
            int width = in.getInt();
            List<String> features = names(in);
            List<String> classes = names(in);
            if (!spec.features().stream().map(ModelSpec.Feature::name).toList().equals(features)
                || !Objects.equals(classes, spec.classes())) return Optional.empty();
            int trees = count(in, 8);
            int[] roots = ints(in, trees);
            int[] slot = ints(in, trees);
            byte[] kind = new byte[count(in, 5)];
            in.get(kind);
            int splits = 0;
            for (byte k : kind) if (k != LEAF) splits++;
            int[] splitFeature = ints(in, splits);
            double[] splitThreshold = doubles(in, splits);
            int[] splitChild = ints(in, splits);
            int[] leafValues = ints(in, kind.length - splits);
            int nodes = kind.length;
            int[] feature = new int[nodes];
            double[] threshold = new double[nodes];
            int[] child = new int[nodes];
            int[] leafValue = new int[nodes];
            byte[] test = new byte[nodes];
            byte[] nan = new byte[nodes];
            for (int n = 0, split = 0, leaf = 0; n < nodes; n++) {
                if (kind[n] == LEAF) { // as FlatForest.Builder.leaf lays a leaf out
                    threshold[n] = Double.NaN;
                    child[n] = n - 1;
                    leafValue[n] = leafValues[leaf++];
                    nan[n] = 1;
                } else {
                    if ((kind[n] & ~7) != 0 || (kind[n] & 3) == 3) throw new IllegalArgumentException("node " + n + " has an unknown test");
                    feature[n] = splitFeature[split];
                    threshold[n] = splitThreshold[split];
                    child[n] = splitChild[split++];
                    test[n] = (byte) (kind[n] & 3);
                    nan[n] = (byte) (kind[n] >> 2);
                }
            }
            double[] values = doubles(in, count(in, 8));
            if (in.position() != bytes.length) throw new IllegalArgumentException("it has bytes after its end");
            int accumulators = combine.accumulators(classes == null ? 0 : classes.size());
            ForestCheck.check(roots, slot, width, accumulators, features.size(), feature, threshold, child, leafValue, values.length,
                test, nan);
            if ((spec.task() == ModelSpec.Task.REGRESSION) != (combine == Combine.MEAN || combine == Combine.SUM)) {
                throw new IllegalArgumentException("its trees are not for a " + spec.task().name().toLowerCase(java.util.Locale.ROOT));
            }
            FlatForest forest = FlatForest.of(roots, slot, width, feature, threshold, child, leafValue, values, test, nan);
            return Optional.of(new SmileTrees(forest, combine, bias, "Smile, from " + ModelSpec.TREES_FILE));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("it is truncated", e);
        }
    }

    private static Combine combine(String name) {
        for (Combine c : Combine.values()) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("it combines its trees in an unknown way, '" + name + "'");
    }

    /** A count of elements of at least {@code size} bytes each, refused before anything is allocated if the rest cannot hold them. */
    private static int count(ByteBuffer in, int size) {
        int n = in.getInt();
        if (n < 0 || (long) n * size > in.remaining()) throw new IllegalArgumentException("it is truncated");
        return n;
    }

    private static int[] ints(ByteBuffer in, int n) {
        if ((long) n * 4 > in.remaining()) throw new BufferUnderflowException();
        int[] a = new int[n];
        in.asIntBuffer().get(a);
        in.position(in.position() + 4 * n);
        return a;
    }

    private static double[] doubles(ByteBuffer in, int n) {
        if ((long) n * 8 > in.remaining()) throw new BufferUnderflowException();
        double[] a = new double[n];
        in.asDoubleBuffer().get(a);
        in.position(in.position() + 8 * n);
        return a;
    }

    private static boolean leaf(FlatForest f, int n) {
        return f.child()[n] < n;
    }

    private static void ints(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) out.writeInt(v);
    }

    private static void names(DataOutputStream out, List<String> names) throws IOException {
        out.writeInt(names == null ? -1 : names.size());
        if (names != null) for (String name : names) text(out, name);
    }

    private static List<String> names(ByteBuffer in) {
        int n = in.getInt();
        if (n == -1) return null;
        if (n < 0 || (long) n * 4 > in.remaining()) throw new IllegalArgumentException("it is truncated");
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(text(in));
        return names;
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String text(ByteBuffer in) {
        byte[] b = new byte[count(in, 1)];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
