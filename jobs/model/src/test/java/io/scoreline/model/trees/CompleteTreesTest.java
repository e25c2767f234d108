package io.scoreline.model.trees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.model.Score;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batch walk over complete (padded) trees and over {@link LeafTables} (the trees of at most eight splits) gives
 * the node-by-node walk's sums bit for bit: trees of every depth from
 * a lone leaf to deeper than {@link CompleteTrees#MAX_DEPTH} (those keep the original layout) in one forest, runs
 * broken by a change of accumulator, block sizes that leave a tail of fewer than eight rows, values on the thresholds
 * and NaN (which goes the false way in these forests), double and float32 inputs.
 */
class CompleteTreesTest {
    private static final int K = 5;

    @ParameterizedTest
    @CsvSource({"1, false", "1, true", "3, false", "3, true"})
    void batchWalkEqualsNodeByNodeWalk(int accumulators, boolean floatInputs) {
        Random random = new Random(accumulators * 31L + (floatInputs ? 1 : 0));
        FlatForest.Builder builder = new FlatForest.Builder(1);
        for (int t = 0; t < 90; t++) {
            int slot = t < 40 ? 0 : random.nextInt(accumulators);
            grow(builder, builder.tree(slot), t % 12, random);
        }
        FlatTreeScorer scorer = new FlatTreeScorer(builder.build(), accumulators, 0.25,
            (sums, at) -> new Score(sums[at], null, Arrays.copyOfRange(sums, at, at + accumulators)), floatInputs, "test");
        double[][] rows = new double[1000][K];
        for (double[] row : rows) {
            for (int j = 0; j < K; j++) row[j] = random.nextInt(20) == 0 ? Double.NaN : value(random) + (random.nextBoolean() ? 0 : 1e-9);
        }
        Score[] batch = new Score[rows.length];
        scorer.score(rows, 0, 301, batch);
        scorer.score(rows, 301, rows.length, batch);
        for (int i = 0; i < rows.length; i++) {
            Score one = scorer.score(rows[i]);
            assertEquals(Double.doubleToLongBits(one.value()), Double.doubleToLongBits(batch[i].value()), "row " + i);
            assertArrayEquals(one.probabilities(), batch[i].probabilities(), 0.0, "row " + i);
        }
    }

    /** A random tree with a path of exactly {@code depth} splits and shorter ones beside it. */
    private static void grow(FlatForest.Builder builder, int node, int depth, Random random) {
        if (depth == 0) {
            builder.leaf(node, new double[] {random.nextGaussian()});
            return;
        }
        int children = builder.split(node, random.nextInt(K), FlatForest.LEQ, value(random), false);
        boolean firstDeep = random.nextBoolean();
        grow(builder, children, firstDeep ? depth - 1 : random.nextInt(depth), random);
        grow(builder, children + 1, firstDeep ? random.nextInt(depth) : depth - 1, random);
    }

    /**
     * Values on a coarse grid, so rows often fall exactly on a threshold; eighths, so a threshold is exact in float32
     * as a float32 model's thresholds are.
     */
    private static double value(Random random) {
        return random.nextInt(16) * 0.125;
    }
}
