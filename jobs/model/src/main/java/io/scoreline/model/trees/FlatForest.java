package io.scoreline.model.trees;

import java.util.Arrays;

/**
 * Trees as primitive arrays, every node of every tree in one set: a node splits on {@code feature} (a row index;
 * {@link #LEAF} for a leaf, {@code NOMINAL - i} for an equality split on row index i) and goes to {@code child} when
 * the test holds, to {@code child + 1} otherwise; a leaf's {@code child} is its offset in {@code values}.
 * Tree t adds its leaf's {@code width} values to the accumulators from {@code slot[t]}.
 */
record FlatForest(int[] roots, int[] slot, int width, int[] feature, double[] threshold, int[] child, double[] values) {
    static final int LEAF = -1;
    static final int NOMINAL = -2;

    /** The offset in {@code values} of the leaf {@code row} reaches in tree {@code t}. */
    int leaf(int t, double[] row) {
        int n = roots[t];
        for (;;) {
            int f = feature[n];
            if (f >= 0) {
                // Smile's OrdinalNode: x <= value goes to the true child; NaN compares false
                n = row[f] <= threshold[n] ? child[n] : child[n] + 1;
            } else if (f == LEAF) {
                return child[n];
            } else {
                // Smile's NominalNode reads the double as an int (Tuple.getInt → Number.intValue): NaN is 0
                n = (int) row[NOMINAL - f] == (int) threshold[n] ? child[n] : child[n] + 1;
            }
        }
    }

    int trees() {
        return roots.length;
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

        /** Makes {@code node} a split and returns its true child; the false child is the next node. */
        int split(int node, int rowIndex, boolean nominal, double value) {
            int children = allocate(2);
            feature[node] = nominal ? NOMINAL - rowIndex : rowIndex;
            threshold[node] = value;
            child[node] = children;
            return children;
        }

        void leaf(int node, double[] leafValues) {
            if (leafValues.length != width) throw new IllegalArgumentException("leaf of " + leafValues.length + " values, not " + width);
            if (valueCount + width > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + width));
            System.arraycopy(leafValues, 0, values, valueCount, width);
            feature[node] = LEAF;
            child[node] = valueCount;
            valueCount += width;
        }

        FlatForest build() {
            return new FlatForest(Arrays.copyOf(roots, trees), Arrays.copyOf(slot, trees), width, Arrays.copyOf(feature, nodes),
                Arrays.copyOf(threshold, nodes), Arrays.copyOf(child, nodes), Arrays.copyOf(values, valueCount));
        }

        private int allocate(int count) {
            if (nodes + count > feature.length) {
                int size = Math.max(feature.length * 2, nodes + count);
                feature = Arrays.copyOf(feature, size);
                threshold = Arrays.copyOf(threshold, size);
                child = Arrays.copyOf(child, size);
            }
            int first = nodes;
            nodes += count;
            return first;
        }
    }
}
