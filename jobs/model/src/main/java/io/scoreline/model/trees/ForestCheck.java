package io.scoreline.model.trees;

/**
 * The check of a forest read from model.trees before anything walks it: every index in range, every node in exactly
 * one tree (children after their parent, each node the child of one split or a root), leaves as {@link FlatForest}
 * lays them out, no tree deeper than {@link TreesFile#MAX_DEPTH}. A file that passes cannot make a walk read outside
 * the arrays, loop, or recurse without end; one that fails is an {@link IllegalArgumentException} with the reason.
 */
final class ForestCheck {
    private ForestCheck() {}

    static void check(int[] roots, int[] slot, int width, int accumulators, int features, int[] feature, double[] threshold,
                      int[] child, int[] leafValue, int values, byte[] test, byte[] nan) {
        int nodes = feature.length;
        if (roots.length == 0) throw invalid("it holds no trees");
        if (width < 1 || width > accumulators) throw invalid("its leaves hold " + width + " values for " + accumulators + " sums");
        int[] parents = new int[nodes];
        for (int t = 0; t < roots.length; t++) {
            if (roots[t] < 0 || roots[t] >= nodes) throw invalid("tree " + t + " starts outside its nodes");
            if (slot[t] < 0 || slot[t] + width > accumulators) throw invalid("tree " + t + " adds to a sum that does not exist");
            parents[roots[t]]++;
        }
        for (int n = 0; n < nodes; n++) {
            if (feature[n] < 0 || feature[n] >= features) throw invalid("node " + n + " reads a feature that does not exist");
            int c = child[n];
            if (c < n) {
                if (c != n - 1 || !Double.isNaN(threshold[n]) || test[n] != FlatForest.LEQ || leafValue[n] < 0
                    || leafValue[n] > values - width) throw invalid("leaf " + n + " is malformed");
            } else {
                if (c == n || c + 1 >= nodes) throw invalid("node " + n + " has children outside the nodes");
                if (test[n] < FlatForest.LEQ || test[n] > FlatForest.EQ || (nan[n] != 0 && nan[n] != 1)) {
                    throw invalid("node " + n + " has an unknown test");
                }
                parents[c]++;
                parents[c + 1]++;
            }
        }
        int[] below = new int[nodes];
        for (int n = nodes - 1; n >= 0; n--) {
            if (parents[n] != 1) throw invalid("node " + n + " is in " + parents[n] + " places instead of one");
            if (child[n] > n) below[n] = 1 + Math.max(below[child[n]], below[child[n] + 1]);
            if (below[n] > TreesFile.MAX_DEPTH) throw invalid("a tree is deeper than " + TreesFile.MAX_DEPTH);
        }
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(why);
    }
}
