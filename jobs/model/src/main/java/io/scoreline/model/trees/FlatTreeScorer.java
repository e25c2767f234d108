package io.scoreline.model.trees;

import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import java.util.Arrays;

/**
 * Scores a flattened tree ensemble. The batch method walks one tree over a block of rows before the next tree, so
 * that tree's nodes stay in cache; each row still adds its trees in the model's order, which keeps the sums equal to
 * the original model's. Nothing is allocated per row but the Score and its probabilities.
 */
final class FlatTreeScorer implements Scorer {
    private static final int BLOCK = 256;

    /** Turns a row's accumulators {@code sums[at..)} into its Score. */
    interface Finish {
        Score finish(double[] sums, int at);
    }

    private final FlatForest forest;
    private final LeafTables tables;
    private final CompleteTrees complete;
    private final int accumulators;
    private final double start;
    private final Finish finish;
    private final boolean floatInputs;
    private final String description;

    /**
     * {@code start} is every accumulator's first value; {@code floatInputs} rounds each value to float before the
     * trees compare it, as a model whose input tensor is float32 sees it.
     */
    FlatTreeScorer(FlatForest forest, int accumulators, double start, Finish finish, boolean floatInputs, String description) {
        this.forest = forest;
        this.tables = forest.simple() ? LeafTables.of(forest) : null;
        this.complete = forest.simple() ? CompleteTrees.of(forest) : null;
        this.accumulators = accumulators;
        this.start = start;
        this.finish = finish;
        this.floatInputs = floatInputs;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Score score(double[] row) {
        double[] x = floatInputs ? rounded(row, null) : row;
        double[] acc = new double[accumulators];
        Arrays.fill(acc, start);
        for (int t = 0; t < forest.trees(); t++) add(t, forest.leaf(t, x), acc, 0);
        return finish.finish(acc, 0);
    }

    @Override
    public void score(double[][] rows, int from, int to, Score[] out) {
        if (to <= from) return;
        if (!forest.simple()) {
            for (int i = from; i < to; i++) out[i] = score(rows[i]); // equality splits: the exact walk, node by node
            return;
        }
        int block = Math.min(BLOCK, to - from);
        int k = rows[from].length;
        double[] acc = new double[block * accumulators];
        // the block's rows in one flat array: no row array to load per step; float32 rows widened back to double
        double[] x = new double[block * k];
        int[] ranks = new int[block * k];
        long[] bits = new long[block];
        for (int begin = from; begin < to; begin += BLOCK) {
            int n = Math.min(to, begin + BLOCK) - begin;
            boolean nan = false;
            for (int i = 0; i < n; i++) {
                double[] row = rows[begin + i];
                for (int j = 0; j < k; j++) {
                    double v = row[j];
                    nan |= v != v;
                    x[i * k + j] = floatInputs ? (float) v : v;
                }
            }
            if (nan && forest.nanTrue()) {
                for (int i = begin; i < begin + n; i++) out[i] = score(rows[i]); // NaN takes the exact walk, node by node
                continue;
            }
            Arrays.fill(acc, start);
            boolean ranked = false;
            for (int t = 0; t < forest.trees(); t++) {
                if (tables.has(t)) {
                    if (!ranked) tables.rank(x, floatInputs, k, n, ranks);
                    ranked = true;
                    tables.add(t, ranks, floatInputs, n, bits, acc, accumulators);
                } else if (complete.has(t)) {
                    int end = complete.runEnd(t);
                    complete.add(t, end, x, floatInputs, k, n, acc, accumulators);
                    t = end - 1;
                } else {
                    t = forest.add(t, x, floatInputs, k, n, acc, accumulators) - 1;
                }
            }
            for (int i = 0; i < n; i++) out[begin + i] = finish.finish(acc, i * accumulators);
        }
    }

    private static double[] rounded(double[] row, double[] into) {
        double[] x = into != null && into.length == row.length ? into : new double[row.length];
        for (int j = 0; j < row.length; j++) x[j] = (float) row[j];
        return x;
    }

    private void add(int t, int leaf, double[] acc, int offset) {
        double[] values = forest.values();
        int at = offset + forest.slot()[t];
        for (int j = 0, w = forest.width(); j < w; j++) acc[at + j] += values[leaf + j];
    }
}
