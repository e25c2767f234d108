package io.scoreline.model.trees;

import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a flattened tree ensemble. The batch method walks one tree over a block of rows before the next tree, so
 * that tree's nodes stay in cache; each row still adds its trees in the model's order, which keeps the sums equal to
 * Smile's. Nothing is allocated per row but the Score and its probabilities.
 */
final class FlatTreeScorer implements Scorer {
    private static final int BLOCK = 256;
    private final FlatForest forest;
    private final Combine combine;
    private final double bias;
    private final int accumulators;
    private final List<String> classes;

    /** {@code bias} starts the sum of single-accumulator ensembles (GBM's b); the others start from 0, as Smile's do. */
    FlatTreeScorer(FlatForest forest, Combine combine, double bias, List<String> classes) {
        this.forest = forest;
        this.combine = combine;
        this.bias = bias;
        this.accumulators = combine.accumulators(classes == null ? 0 : classes.size());
        this.classes = classes;
    }

    @Override
    public Score score(double[] row) {
        double[] acc = new double[accumulators];
        acc[0] = accumulators == 1 ? bias : 0;
        for (int t = 0; t < forest.trees(); t++) add(t, forest.leaf(t, row), acc, 0);
        return combine.finish(acc, 0, accumulators, forest.trees(), classes);
    }

    @Override
    public void score(double[][] rows, int from, int to, Score[] out) {
        int block = Math.min(BLOCK, to - from);
        if (block <= 0) return;
        double[] acc = new double[block * accumulators];
        int[] leaves = new int[block];
        for (int start = from; start < to; start += BLOCK) {
            int end = Math.min(to, start + BLOCK);
            if (accumulators == 1) Arrays.fill(acc, bias);
            else Arrays.fill(acc, 0);
            for (int t = 0; t < forest.trees(); t++) {
                forest.leaves(t, rows, start, end, leaves);
                for (int i = start; i < end; i++) add(t, leaves[i - start], acc, (i - start) * accumulators);
            }
            for (int i = start; i < end; i++) {
                out[i] = combine.finish(acc, (i - start) * accumulators, accumulators, forest.trees(), classes);
            }
        }
    }

    private void add(int t, int leaf, double[] acc, int offset) {
        double[] values = forest.values();
        int at = offset + forest.slot()[t];
        for (int j = 0, w = forest.width(); j < w; j++) acc[at + j] += values[leaf + j];
    }
}
