package io.scoreline.model.trees;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The trees of a {@code simple} width-1 {@link FlatForest} with at most {@link #MAX_SPLITS} splits, as tables, for the
 * batch walk. A row takes every split of such a tree, in a fixed order, and the outcomes, one bit each, index the
 * tree's table of leaf values. The walk of {@link CompleteTrees} takes the tree's full depth in dependent steps, a
 * node and a comparison per row and level; here the splits are the same for every row, so each split is one pass over
 * a block's rows in integer arithmetic that the JIT vectorizes: each row value is replaced once per block by its rank
 * among its feature's thresholds ({@link #rank}), and a test is a subtraction of ranks. Boosting's small trees cost
 * about half the CPU they did walked (scikit-learn's and LightGBM's lopsided 6-leaf trees, XGBoost's depth-3 trees:
 * docs/benchmarks.md). Exact: a table entry is the leaf the node-by-node walk reaches when every split on its path
 * comes out as the entry's bits say, the ranks compare as the values do, and a NaN fails every test as it does in the
 * walk of these forests.
 */
final class LeafTables {
    /** Most splits per tabled tree: a table of 2^8 leaves, 2 KB, in the L1 cache while a block's rows read it. */
    static final int MAX_SPLITS = 8;

    private final FlatForest forest;
    /** Tree t's first split in {@link #feature} and the thresholds, or −1 when the tree is not tabled. */
    private final int[] first;
    private final int[] splits;
    /** Tree t's first entry in {@link #leaf}. */
    private final int[] table;
    private final int[] feature;
    private final double[] threshold;
    private final double[] floatThreshold;
    private final double[] leaf;
    /** Per feature, the thresholds of the tabled splits, sorted (and rounded to float32 in {@link #floatCuts}). */
    private double[][] cuts;
    private double[][] floatCuts;
    /** Split j's threshold as a rank: how many of its feature's cuts are below it. */
    private final int[] rank;
    private final int[] floatRank;

    private LeafTables(FlatForest forest, int[] first, int[] splits, int[] table, int size, int entries) {
        this.forest = forest;
        this.first = first;
        this.splits = splits;
        this.table = table;
        this.feature = new int[size];
        this.threshold = new double[size];
        this.floatThreshold = new double[size];
        this.leaf = new double[entries];
        this.rank = new int[size];
        this.floatRank = new int[size];
    }

    static LeafTables of(FlatForest forest) {
        int trees = forest.trees();
        int[] first = new int[trees];
        int[] splits = new int[trees];
        int[] table = new int[trees];
        int size = 0;
        int entries = 0;
        for (int t = 0; t < trees; t++) {
            splits[t] = forest.width() == 1 ? count(forest, forest.roots()[t]) : Integer.MAX_VALUE;
            boolean tabled = splits[t] <= MAX_SPLITS;
            first[t] = tabled ? size : -1;
            table[t] = entries;
            if (tabled) {
                size += splits[t];
                entries += 1 << splits[t];
            }
        }
        LeafTables tables = new LeafTables(forest, first, splits, table, size, entries);
        int[] index = new int[forest.child().length];
        for (int t = 0; t < trees; t++) {
            if (first[t] >= 0) tables.fill(t, index);
        }
        tables.cuts = cuts(tables.feature, tables.threshold);
        tables.floatCuts = cuts(tables.feature, tables.floatThreshold);
        for (int j = 0; j < size; j++) {
            tables.rank[j] = below(tables.cuts[tables.feature[j]], tables.threshold[j]);
            tables.floatRank[j] = below(tables.floatCuts[tables.feature[j]], tables.floatThreshold[j]);
        }
        return tables;
    }

    private static double[][] cuts(int[] feature, double[] threshold) {
        int features = 0;
        for (int f : feature) features = Math.max(features, f + 1);
        double[][] cuts = new double[features][];
        for (int f = 0; f < features; f++) {
            int at = f;
            cuts[f] = IntStream.range(0, feature.length).filter(j -> feature[j] == at).mapToDouble(j -> threshold[j]).sorted().toArray();
        }
        return cuts;
    }

    /**
     * How many of {@code cuts} are below {@code x}; all of them (and one more: above every split's rank) for NaN, which
     * fails every test. For a split at threshold t and any x, x ≤ t exactly when below(x) ≤ below(t): the cuts below
     * x are among those below t when x ≤ t, and include t itself and all below it when x > t.
     */
    private static int below(double[] cuts, double x) {
        if (x != x) return cuts.length + 1;
        int lo = 0;
        int hi = cuts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cuts[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * Writes the ranks of the {@code n} rows of a flat block ({@code x[i*k..)}, float32 values widened when
     * {@code floats}) feature by feature: feature f of row i at {@code ranks[f*n + i]}.
     */
    void rank(double[] x, boolean floats, int k, int n, int[] ranks) {
        double[][] c = floats ? floatCuts : cuts;
        for (int f = 0; f < c.length; f++) {
            for (int i = 0; i < n; i++) ranks[f * n + i] = below(c[f], x[i * k + f]);
        }
    }

    /** Tree splits under {@code n}; too many to table if one's threshold is NaN (no value is below it, none above). */
    private static int count(FlatForest forest, int n) {
        int c = forest.child()[n];
        if (c < n) return 0;
        if (Double.isNaN(forest.threshold()[n])) return MAX_SPLITS + 1;
        return 1 + count(forest, c) + count(forest, c + 1);
    }

    /** Numbers tree t's splits in preorder (their bit, from the most significant) and fills its table. */
    private void fill(int t, int[] index) {
        int s = splits[t];
        number(forest.roots()[t], first[t], index);
        int[] child = forest.child();
        for (int bits = 0; bits < 1 << s; bits++) {
            int n = forest.roots()[t];
            while (child[n] >= n) n = child[n] + (bits >> (s - 1 - (index[n] - first[t])) & 1);
            leaf[table[t] + bits] = forest.values()[forest.leafValue()[n]];
        }
    }

    private int number(int n, int next, int[] index) {
        int c = forest.child()[n];
        if (c < n) return next;
        index[n] = next;
        feature[next] = forest.feature()[n];
        threshold[next] = forest.threshold()[n];
        floatThreshold[next] = forest.floatThreshold()[n];
        return number(c + 1, number(c, next + 1, index), index);
    }

    boolean has(int t) {
        return first[t] >= 0;
    }


    /**
     * Adds tabled tree t's leaf to the {@code n} rows of a block whose {@link #rank ranks} are given: each split is
     * one pass over the rows (integer arithmetic the JIT turns into vector instructions, no branch), building each
     * row's table index in {@code bits}; then each row adds its leaf, the trees in the model's order. {@code bits} is a
     * long[]: with an int[] (which might be the ranks' array itself) the loop ran as if not vectorized, 1.09 against
     * 0.59 µs of CPU per row on the 300-tree boosting model.
     */
    void add(int t, int[] ranks, boolean floats, int n, long[] bits, double[] acc, int stride) {
        int[] r = floats ? floatRank : rank;
        Arrays.fill(bits, 0, n, 0L);
        for (int j = first[t], end = j + splits[t]; j < end; j++) {
            int from = feature[j] * n;
            int cut = r[j];
            for (int i = 0; i < n; i++) bits[i] = 2 * bits[i] + ((cut - ranks[from + i]) >>> 31);
        }
        int e = table[t];
        int at = forest.slot()[t];
        for (int i = 0; i < n; i++) acc[i * stride + at] += leaf[e + (int) bits[i]];
    }
}
