package io.scoreline.model;

/** Scores ordered feature rows; implementations are thread-safe so a job can score on every core. */
public interface Scorer {
    Score score(double[] row);

    /** What scores, for the job's log: e.g. "fast trees (ONNX TreeEnsembleClassifier, 100 trees)" or "ONNX Runtime". */
    default String describe() {
        return "per-row scorer (" + getClass().getSimpleName().replaceAll("\\$.*", "") + ")";
    }

    /**
     * Scores {@code rows[from..to)} into {@code out[from..to)}. Scorers that can batch (ONNX Runtime, flattened trees)
     * override this; the default scores one row at a time.
     */
    default void score(double[][] rows, int from, int to, Score[] out) {
        for (int i = from; i < to; i++) out[i] = score(rows[i]);
    }
}
