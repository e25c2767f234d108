package io.scoreline.model.trees;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Trees as primitive arrays, every node of every tree in one set. A split reads row[{@code feature}], tests it
 * against {@code threshold} as its {@code test} says ({@link #LEQ}: x ≤ t; {@link #NOMINAL}: Smile's equality of the
 * values read as ints; {@link #EQ}: x = t) and goes to {@code child} when the test holds, to {@code child + 1}
 * otherwise; a NaN goes to {@code child + nan} (except in a NOMINAL test, where Smile reads NaN as 0). A leaf points to
 * itself through the same step: its {@code child} is its own index − 1 and its threshold NaN (no comparison with NaN
 * holds), so a walk can take a tree's full depth in steps without a branch; {@code leafValue} is its offset in
 * {@code values}. Tree t adds its leaf's {@code width} values to the accumulators from {@code slot[t]}. When every
 * split is a LEQ ({@code simple}) and NaN follows the false branch everywhere ({@code !nanTrue}), the branch-free batch
 * walk gives the exact answer for every row; otherwise rows take {@link #leaf}. {@code floatThreshold} holds the
 * thresholds rounded to float32 but stored as doubles, for float32 models: widening to double is exact and keeps the
 * order, so a float32 row widened to double compares with them exactly as in float32, and one walk serves both inputs.
 */
record FlatForest(int[] roots, int[] depths, int[] slot, int width, int[] feature, double[] threshold, double[] floatThreshold,
                  int[] child, int[] leafValue, double[] values, byte[] test, byte[] nan, boolean simple, boolean nanTrue) {
    static final byte LEQ = 0;
    static final byte NOMINAL = 1;
    static final byte EQ = 2;

    int trees() {
        return roots.length;
    }

    /** The offset in {@code values} of the leaf {@code row} reaches in tree {@code t}. */
    int leaf(int t, double[] row) {
        int n = roots[t];
        for (;;) {
            int c = child[n];
            if (c < n) return leafValue[n];
            double x = row[feature[n]];
            n = switch (test[n]) {
                // Smile's OrdinalNode and ONNX's branches: x <= value goes to the first child
                case LEQ -> x <= threshold[n] ? c : x != x ? c + nan[n] : c + 1;
                // Smile's NominalNode reads the double as an int (Tuple.getInt → Number.intValue): NaN is 0
                case NOMINAL -> (int) x == (int) threshold[n] ? c : c + 1;
                default -> x == threshold[n] ? c : x != x ? c + nan[n] : c + 1;
            };
        }
    }

    /**
     * Adds tree t's leaf values for the {@code n} rows of a flat block into their accumulators: row i's values are
     * {@code x[i*k..)} (float32 values widened, against {@code floatThreshold}, when {@code floats}), its accumulators
     * {@code acc[i*stride..)}. Only for {@code simple} forests and rows without NaN
     * (or forests where NaN goes the false way everywhere). Eight rows walk together, branch-free, for the tree's depth. In a
     * width-1 forest the following trees of the same slot (up to {@link CompleteTrees#RUN}) come along, their sums held
     * in registers as {@link CompleteTrees} does (10% less CPU on a 100-tree forest); returns the tree after the last.
     */
    int add(int t, double[] x, boolean floats, int k, int n, double[] acc, int stride) {
        if (width != 1) {
            addTree(t, x, floats, k, n, acc, stride);
            return t + 1;
        }
        int end = runEnd(t, u -> true);
        addRun(t, end, x, floats, k, n, acc, stride);
        return end;
    }

    /**
     * The end of the run of trees from {@code t} that {@code along} accepts and that add to the same accumulator: at
     * most {@link CompleteTrees#RUN} trees, so that their nodes stay in the L1 cache while a block of rows walks them.
     */
    int runEnd(int t, IntPredicate along) {
        int end = t + 1;
        while (end < roots.length && end - t < CompleteTrees.RUN && along.test(end) && slot[end] == slot[t]) end++;
        return end;
    }

    /** Trees [from, to) of one width-1 slot, eight rows at a time with their sums in registers, as CompleteTrees does. */
    private void addRun(int from, int to, double[] x, boolean floats, int k, int n, double[] acc, int stride) {
        int[] f = feature;
        int[] c = child;
        double[] v = floats ? floatThreshold : threshold;
        int at = slot[from];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int o = i * k;
            int a = i * stride + at;
            double s0 = acc[a], s1 = acc[a + stride], s2 = acc[a + 2 * stride], s3 = acc[a + 3 * stride];
            double s4 = acc[a + 4 * stride], s5 = acc[a + 5 * stride], s6 = acc[a + 6 * stride], s7 = acc[a + 7 * stride];
            for (int t = from; t < to; t++) {
                int root = roots[t];
                int n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
                for (int d = depths[t]; d > 0; d--) {
                    n0 = c[n0] + (x[o + f[n0]] <= v[n0] ? 0 : 1);
                    n1 = c[n1] + (x[o + k + f[n1]] <= v[n1] ? 0 : 1);
                    n2 = c[n2] + (x[o + 2 * k + f[n2]] <= v[n2] ? 0 : 1);
                    n3 = c[n3] + (x[o + 3 * k + f[n3]] <= v[n3] ? 0 : 1);
                    n4 = c[n4] + (x[o + 4 * k + f[n4]] <= v[n4] ? 0 : 1);
                    n5 = c[n5] + (x[o + 5 * k + f[n5]] <= v[n5] ? 0 : 1);
                    n6 = c[n6] + (x[o + 6 * k + f[n6]] <= v[n6] ? 0 : 1);
                    n7 = c[n7] + (x[o + 7 * k + f[n7]] <= v[n7] ? 0 : 1);
                }
                s0 += values[leafValue[n0]];
                s1 += values[leafValue[n1]];
                s2 += values[leafValue[n2]];
                s3 += values[leafValue[n3]];
                s4 += values[leafValue[n4]];
                s5 += values[leafValue[n5]];
                s6 += values[leafValue[n6]];
                s7 += values[leafValue[n7]];
            }
            acc[a] = s0;
            acc[a + stride] = s1;
            acc[a + 2 * stride] = s2;
            acc[a + 3 * stride] = s3;
            acc[a + 4 * stride] = s4;
            acc[a + 5 * stride] = s5;
            acc[a + 6 * stride] = s6;
            acc[a + 7 * stride] = s7;
        }
        for (; i < n; i++) {
            int o = i * k;
            double sum = acc[i * stride + at];
            for (int t = from; t < to; t++) {
                int m = roots[t];
                for (int d = depths[t]; d > 0; d--) m = c[m] + (x[o + f[m]] <= v[m] ? 0 : 1);
                sum += values[leafValue[m]];
            }
            acc[i * stride + at] = sum;
        }
    }

    private void addTree(int t, double[] x, boolean floats, int k, int n, double[] acc, int stride) {
        int root = roots[t];
        int depth = depths[t];
        int[] f = feature;
        int[] c = child;
        double[] v = floats ? floatThreshold : threshold;
        int at = slot[t];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int o = i * k;
            int n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
            for (int d = 0; d < depth; d++) {
                n0 = c[n0] + (x[o + f[n0]] <= v[n0] ? 0 : 1);
                n1 = c[n1] + (x[o + k + f[n1]] <= v[n1] ? 0 : 1);
                n2 = c[n2] + (x[o + 2 * k + f[n2]] <= v[n2] ? 0 : 1);
                n3 = c[n3] + (x[o + 3 * k + f[n3]] <= v[n3] ? 0 : 1);
                n4 = c[n4] + (x[o + 4 * k + f[n4]] <= v[n4] ? 0 : 1);
                n5 = c[n5] + (x[o + 5 * k + f[n5]] <= v[n5] ? 0 : 1);
                n6 = c[n6] + (x[o + 6 * k + f[n6]] <= v[n6] ? 0 : 1);
                n7 = c[n7] + (x[o + 7 * k + f[n7]] <= v[n7] ? 0 : 1);
            }
            addLeaf(n0, acc, i * stride + at);
            addLeaf(n1, acc, (i + 1) * stride + at);
            addLeaf(n2, acc, (i + 2) * stride + at);
            addLeaf(n3, acc, (i + 3) * stride + at);
            addLeaf(n4, acc, (i + 4) * stride + at);
            addLeaf(n5, acc, (i + 5) * stride + at);
            addLeaf(n6, acc, (i + 6) * stride + at);
            addLeaf(n7, acc, (i + 7) * stride + at);
        }
        for (; i < n; i++) {
            int m = root;
            int o = i * k;
            for (int d = 0; d < depth; d++) m = c[m] + (x[o + f[m]] <= v[m] ? 0 : 1);
            addLeaf(m, acc, i * stride + at);
        }
    }

    private void addLeaf(int node, double[] acc, int at) {
        int from = leafValue[node];
        if (width == 1) {
            acc[at] += values[from];
            return;
        }
        for (int j = 0; j < width; j++) acc[at + j] += values[from + j];
    }

    /**
     * The forest of these nodes, with what follows from them: each tree's depth, the float32 thresholds, and the
     * {@code simple} and {@code nanTrue} flags. Children always come after their parent, so depths are settled in one
     * backward pass.
     */
    static FlatForest of(int[] roots, int[] slot, int width, int[] feature, double[] threshold, int[] child, int[] leafValue,
                         double[] values, byte[] test, byte[] nan) {
        int nodes = feature.length;
        int[] below = new int[nodes];
        double[] floats = new double[nodes];
        boolean simple = true;
        boolean nanTrue = false;
        for (int n = nodes - 1; n >= 0; n--) {
            floats[n] = (float) threshold[n];
            if (child[n] < n) continue; // a leaf
            below[n] = 1 + Math.max(below[child[n]], below[child[n] + 1]);
            simple &= test[n] == LEQ;
            nanTrue |= nan[n] == 0 && test[n] != NOMINAL;
        }
        int[] depths = new int[roots.length];
        for (int t = 0; t < roots.length; t++) depths[t] = below[roots[t]];
        return new FlatForest(roots, depths, slot, width, feature, threshold, floats, child, leafValue, values, test, nan, simple,
            nanTrue);
    }

    /** Grows the node and value arrays while trees are added. */
    static final class Builder {
        private final int width;
        private int[] roots = new int[16];
        private int[] slot = new int[16];
        private int trees;
        private int[] feature = new int[1024];
        private double[] threshold = new double[1024];
        private int[] child = new int[1024];
        private int[] leafValue = new int[1024];
        private byte[] test = new byte[1024];
        private byte[] nan = new byte[1024];
        private int nodes;
        private double[] values = new double[1024];
        private int valueCount;

        Builder(int width) {
            this.width = width;
        }

        /** Starts a tree and returns its root node, which the caller fills with {@link #split} or {@link #leaf}. */
        int tree(int accumulatorSlot) {
            if (trees == roots.length) {
                roots = Arrays.copyOf(roots, trees * 2);
                slot = Arrays.copyOf(slot, trees * 2);
            }
            roots[trees] = allocate(1);
            slot[trees] = accumulatorSlot;
            return roots[trees++];
        }

        /**
         * Makes {@code node} a split and returns the child taken when {@code kind} holds; the other child is the next
         * node. A NaN goes to the first child when {@code nanFirst}, to the second otherwise.
         */
        int split(int node, int rowIndex, byte kind, double value, boolean nanFirst) {
            int children = allocate(2);
            feature[node] = rowIndex;
            test[node] = kind;
            nan[node] = (byte) (nanFirst ? 0 : 1);
            threshold[node] = value;
            child[node] = children;
            return children;
        }

        void leaf(int node, double[] leafValues) {
            if (leafValues.length != width) throw new IllegalArgumentException("leaf of " + leafValues.length + " values, not " + width);
            if (valueCount + width > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + width));
            System.arraycopy(leafValues, 0, values, valueCount, width);
            feature[node] = 0;
            test[node] = LEQ;
            nan[node] = 1;
            threshold[node] = Double.NaN;
            child[node] = node - 1;
            leafValue[node] = valueCount;
            valueCount += width;
        }

        FlatForest build() {
            return of(Arrays.copyOf(roots, trees), Arrays.copyOf(slot, trees), width, Arrays.copyOf(feature, nodes),
                Arrays.copyOf(threshold, nodes), Arrays.copyOf(child, nodes), Arrays.copyOf(leafValue, nodes),
                Arrays.copyOf(values, valueCount), Arrays.copyOf(test, nodes), Arrays.copyOf(nan, nodes));
        }

        private int allocate(int count) {
            if (nodes + count > feature.length) {
                int size = Math.max(feature.length * 2, nodes + count);
                feature = Arrays.copyOf(feature, size);
                threshold = Arrays.copyOf(threshold, size);
                child = Arrays.copyOf(child, size);
                leafValue = Arrays.copyOf(leafValue, size);
                test = Arrays.copyOf(test, size);
                nan = Arrays.copyOf(nan, size);
            }
            int first = nodes;
            nodes += count;
            return first;
        }
    }
}
