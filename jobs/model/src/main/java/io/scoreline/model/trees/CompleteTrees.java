package io.scoreline.model.trees;

/**
 * The shallow trees of a {@code simple} {@link FlatForest} laid out again as complete binary trees, for the batch walk.
 * Node i's children are 2i+1 (test holds) and 2i+2, so a step loads no child index: the next node is arithmetic on the
 * comparison. Walked in runs of trees with the sums in registers (where most of the gain is), this layout still costs
 * about 20% less CPU than the original one on 300 boosted trees of depth 3 to 5 (docs/benchmarks.md). A leaf above the tree's depth becomes a padding
 * split whose two subtrees both end in copies of that leaf, so every row takes the same answer whichever way a padding
 * split goes (NaN included): the outputs are the original layout's, bit for bit. Deep trees (random forests) would
 * double in size per level of padding, so they keep the original layout ({@link #has} is false).
 */
final class CompleteTrees {
    /** Deepest tree laid out complete: 2^9 − 1 slots, a few KB per tree, still in cache while a block walks it. */
    static final int MAX_DEPTH = 8;
    /** Trees walked together per row group; 16 trees of depth 5 are about 16 KB of nodes. */
    static final int RUN = 16;

    private final FlatForest forest;
    private final int[] base;
    private final int[] feature;
    private final double[] threshold;
    private final double[] floatThreshold;
    /** The leaf's value itself (only width-1 forests are laid out complete): no offset to load per row and tree. */
    private final double[] leafSum;

    private CompleteTrees(FlatForest forest, int[] base, int[] feature, double[] threshold, double[] floatThreshold, double[] leafSum) {
        this.forest = forest;
        this.base = base;
        this.feature = feature;
        this.threshold = threshold;
        this.floatThreshold = floatThreshold;
        this.leafSum = leafSum;
    }

    static CompleteTrees of(FlatForest forest) {
        int[] base = new int[forest.trees()];
        int size = 0;
        for (int t = 0; t < base.length; t++) {
            int depth = forest.depths()[t];
            base[t] = depth <= MAX_DEPTH && forest.width() == 1 ? size : -1;
            if (base[t] >= 0) size += (2 << depth) - 1;
        }
        CompleteTrees trees = new CompleteTrees(forest, base, new int[size], new double[size], new double[size], new double[size]);
        for (int t = 0; t < base.length; t++) {
            if (base[t] >= 0) trees.place(forest.roots()[t], base[t], 0, forest.depths()[t]);
        }
        return trees;
    }

    /** Copies the subtree at original node {@code n} to slot {@code i} of the tree at {@code at}, {@code left} levels above the leaves. */
    private void place(int n, int at, int i, int left) {
        boolean leaf = forest.child()[n] < n;
        if (left == 0) {
            leafSum[at + i] = forest.values()[forest.leafValue()[n]];
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

    /**
     * The end of the run of trees from {@code t} (which {@link #has}) that add to the same accumulator: at most
     * {@link #RUN} trees, so that their nodes stay in the L1 cache while a block of rows walks them.
     */
    int runEnd(int t) {
        return forest.runEnd(t, this::has);
    }

    /**
     * Adds trees [{@code from}, {@code to}) of a {@link #runEnd run} to the {@code n} rows of a flat block, as
     * {@link FlatForest#add(int, double[], boolean, int, int, double[], int)} does tree by tree: eight rows' sums stay in
     * registers across the run's trees (each row still adds them in the model's order), so the accumulators are read
     * and written once per run, not once per tree.
     */
    void add(int from, int to, double[] x, boolean floats, int k, int n, double[] acc, int stride) {
        int[] f = feature;
        double[] v = floats ? floatThreshold : threshold;
        double[] leaf = leafSum;
        int[] depths = forest.depths();
        int at = forest.slot()[from];
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int o = i * k;
            int a = i * stride + at;
            double s0 = acc[a], s1 = acc[a + stride], s2 = acc[a + 2 * stride], s3 = acc[a + 3 * stride];
            double s4 = acc[a + 4 * stride], s5 = acc[a + 5 * stride], s6 = acc[a + 6 * stride], s7 = acc[a + 7 * stride];
            for (int t = from; t < to; t++) {
                int b = base[t];
                int step = 1 - b; // node j's children with the tree's base folded in: 2(j−b)+1+b = 2j+1−b
                int n0 = b, n1 = b, n2 = b, n3 = b, n4 = b, n5 = b, n6 = b, n7 = b;
                for (int d = depths[t]; d > 0; d--) {
                    n0 = 2 * n0 + step + (x[o + f[n0]] <= v[n0] ? 0 : 1);
                    n1 = 2 * n1 + step + (x[o + k + f[n1]] <= v[n1] ? 0 : 1);
                    n2 = 2 * n2 + step + (x[o + 2 * k + f[n2]] <= v[n2] ? 0 : 1);
                    n3 = 2 * n3 + step + (x[o + 3 * k + f[n3]] <= v[n3] ? 0 : 1);
                    n4 = 2 * n4 + step + (x[o + 4 * k + f[n4]] <= v[n4] ? 0 : 1);
                    n5 = 2 * n5 + step + (x[o + 5 * k + f[n5]] <= v[n5] ? 0 : 1);
                    n6 = 2 * n6 + step + (x[o + 6 * k + f[n6]] <= v[n6] ? 0 : 1);
                    n7 = 2 * n7 + step + (x[o + 7 * k + f[n7]] <= v[n7] ? 0 : 1);
                }
                s0 += leaf[n0];
                s1 += leaf[n1];
                s2 += leaf[n2];
                s3 += leaf[n3];
                s4 += leaf[n4];
                s5 += leaf[n5];
                s6 += leaf[n6];
                s7 += leaf[n7];
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
                int m = base[t];
                for (int d = depths[t]; d > 0; d--) m = 2 * m + 1 - base[t] + (x[o + f[m]] <= v[m] ? 0 : 1);
                sum += leaf[m];
            }
            acc[i * stride + at] = sum;
        }
    }
}
