package io.scoreline.model.trees;

/**
 * The shallow trees of a {@code simple} {@link FlatForest} laid out again as complete binary trees, for the batch walk.
 * Node i's children are 2i+1 (test holds) and 2i+2, so a step loads no child index: the next node is arithmetic on the
 * comparison, and the CPU can start the next level's loads sooner. A leaf above the tree's depth becomes a padding
 * split whose two subtrees both end in copies of that leaf, so every row takes the same answer whichever way a padding
 * split goes (NaN included): the outputs are the original layout's, bit for bit. Deep trees (random forests) would
 * double in size per level of padding, so they keep the original layout ({@link #has} is false).
 */
final class CompleteTrees {
    /** Deepest tree laid out complete: 2^9 − 1 slots, a few KB per tree, still in cache while a block walks it. */
    static final int MAX_DEPTH = 8;

    private final FlatForest forest;
    private final int[] base;
    private final int[] feature;
    private final double[] threshold;
    private final float[] floatThreshold;
    private final int[] leafValue;

    private CompleteTrees(FlatForest forest, int[] base, int[] feature, double[] threshold, float[] floatThreshold, int[] leafValue) {
        this.forest = forest;
        this.base = base;
        this.feature = feature;
        this.threshold = threshold;
        this.floatThreshold = floatThreshold;
        this.leafValue = leafValue;
    }

    static CompleteTrees of(FlatForest forest) {
        int[] base = new int[forest.trees()];
        int size = 0;
        for (int t = 0; t < base.length; t++) {
            int depth = forest.depths()[t];
            base[t] = depth <= MAX_DEPTH ? size : -1;
            if (depth <= MAX_DEPTH) size += (2 << depth) - 1;
        }
        CompleteTrees trees = new CompleteTrees(forest, base, new int[size], new double[size], new float[size], new int[size]);
        for (int t = 0; t < base.length; t++) {
            if (base[t] >= 0) trees.place(forest.roots()[t], base[t], 0, forest.depths()[t]);
        }
        return trees;
    }

    /** Copies the subtree at original node {@code n} to slot {@code i} of the tree at {@code at}, {@code left} levels above the leaves. */
    private void place(int n, int at, int i, int left) {
        boolean leaf = forest.child()[n] < n;
        if (left == 0) {
            leafValue[at + i] = forest.leafValue()[n];
            return;
        }
        if (leaf) {
            place(n, at, 2 * i + 1, left - 1); // padding: both ways reach the same leaf
            place(n, at, 2 * i + 2, left - 1);
            return;
        }
        feature[at + i] = forest.feature()[n];
        threshold[at + i] = forest.threshold()[n];
        floatThreshold[at + i] = forest.floatThreshold()[n];
        place(forest.child()[n], at, 2 * i + 1, left - 1);
        place(forest.child()[n] + 1, at, 2 * i + 2, left - 1);
    }

    boolean has(int t) {
        return base[t] >= 0;
    }

    /** {@link FlatForest#add(int, double[], int, int, double[], int)} for a tree {@link #has laid out complete}. */
    void add(int t, double[] x, int k, int n, double[] acc, int stride) {
        int b = base[t];
        int depth = forest.depths()[t];
        int[] f = feature;
        double[] v = threshold;
        int at = forest.slot()[t];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int o = i * k;
            int n0 = b, n1 = b, n2 = b, n3 = b, n4 = b, n5 = b, n6 = b, n7 = b;
            // with the base folded in: 2(j−b)+1+b = 2j+1−b
            int step = 1 - b;
            for (int d = 0; d < depth; d++) {
                n0 = 2 * n0 + step + (x[o + f[n0]] <= v[n0] ? 0 : 1);
                n1 = 2 * n1 + step + (x[o + k + f[n1]] <= v[n1] ? 0 : 1);
                n2 = 2 * n2 + step + (x[o + 2 * k + f[n2]] <= v[n2] ? 0 : 1);
                n3 = 2 * n3 + step + (x[o + 3 * k + f[n3]] <= v[n3] ? 0 : 1);
                n4 = 2 * n4 + step + (x[o + 4 * k + f[n4]] <= v[n4] ? 0 : 1);
                n5 = 2 * n5 + step + (x[o + 5 * k + f[n5]] <= v[n5] ? 0 : 1);
                n6 = 2 * n6 + step + (x[o + 6 * k + f[n6]] <= v[n6] ? 0 : 1);
                n7 = 2 * n7 + step + (x[o + 7 * k + f[n7]] <= v[n7] ? 0 : 1);
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
            int m = b;
            int o = i * k;
            for (int d = 0; d < depth; d++) m = 2 * m + 1 - b + (x[o + f[m]] <= v[m] ? 0 : 1);
            addLeaf(m, acc, i * stride + at);
        }
    }

    /** The float32 twin of {@link #add(int, double[], int, int, double[], int)}, as in {@link FlatForest}. */
    void add(int t, float[] x, int k, int n, double[] acc, int stride) {
        int b = base[t];
        int depth = forest.depths()[t];
        int[] f = feature;
        float[] v = floatThreshold;
        int at = forest.slot()[t];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int o = i * k;
            int n0 = b, n1 = b, n2 = b, n3 = b, n4 = b, n5 = b, n6 = b, n7 = b;
            int step = 1 - b;
            for (int d = 0; d < depth; d++) {
                n0 = 2 * n0 + step + (x[o + f[n0]] <= v[n0] ? 0 : 1);
                n1 = 2 * n1 + step + (x[o + k + f[n1]] <= v[n1] ? 0 : 1);
                n2 = 2 * n2 + step + (x[o + 2 * k + f[n2]] <= v[n2] ? 0 : 1);
                n3 = 2 * n3 + step + (x[o + 3 * k + f[n3]] <= v[n3] ? 0 : 1);
                n4 = 2 * n4 + step + (x[o + 4 * k + f[n4]] <= v[n4] ? 0 : 1);
                n5 = 2 * n5 + step + (x[o + 5 * k + f[n5]] <= v[n5] ? 0 : 1);
                n6 = 2 * n6 + step + (x[o + 6 * k + f[n6]] <= v[n6] ? 0 : 1);
                n7 = 2 * n7 + step + (x[o + 7 * k + f[n7]] <= v[n7] ? 0 : 1);
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
            int m = b;
            int o = i * k;
            for (int d = 0; d < depth; d++) m = 2 * m + 1 - b + (x[o + f[m]] <= v[m] ? 0 : 1);
            addLeaf(m, acc, i * stride + at);
        }
    }

    private void addLeaf(int node, double[] acc, int at) {
        double[] values = forest.values();
        int from = leafValue[node];
        int width = forest.width();
        if (width == 1) {
            acc[at] += values[from];
            return;
        }
        for (int j = 0; j < width; j++) acc[at + j] += values[from + j];
    }
}
