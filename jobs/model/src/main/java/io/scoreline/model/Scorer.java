package io.scoreline.model;

/** Scores one ordered feature row; implementations are thread-safe so a job can score on every core. */
public interface Scorer {
    Score score(double[] row);
}
