package io.scoreline.model.trees;

import io.scoreline.model.ModelSpec;
import io.scoreline.model.Scorer;
import java.util.List;
import java.util.Optional;

/**
 * A Smile ensemble flattened: its trees, how their sums become a Score, and the bias the sums start from (GBM's b).
 * Made from the deserialized model, or read from model.trees, the form {@link TreesFile} stores beside it at register.
 */
public final class SmileTrees {
    final FlatForest forest;
    final Combine combine;
    final double bias;
    /** Where the trees came from, for the job's log: "Smile" (flattened at load) or "model.trees". */
    private final String source;

    SmileTrees(FlatForest forest, Combine combine, double bias, String source) {
        this.forest = forest;
        this.combine = combine;
        this.bias = bias;
        this.source = source;
    }

    /** The scorer, for the spec's classes (null for a regression). */
    public Scorer scorer(List<String> classes) {
        int accumulators = combine.accumulators(classes == null ? 0 : classes.size());
        int trees = forest.trees();
        return new FlatTreeScorer(forest, accumulators, accumulators == 1 ? bias : 0,
            (sums, at) -> combine.finish(sums, at, accumulators, trees, classes), false, "fast trees (" + source + ", " + trees + " trees)");
    }

    /** The bytes of model.trees for this ensemble, or empty when it is beyond what {@link TreesFile} stores. */
    public Optional<byte[]> bytes(ModelSpec spec) {
        return TreesFile.write(this, spec);
    }

    /**
     * The ensemble model.trees holds, checked node by node; empty when the file is of a format this build does not read
     * or was made for other features or classes than the spec's, so the caller loads the Smile model instead. A file
     * that cannot be a forest is an {@link IllegalArgumentException} with the reason.
     */
    public static Optional<SmileTrees> read(byte[] bytes, ModelSpec spec) {
        return TreesFile.read(bytes, spec);
    }
}
