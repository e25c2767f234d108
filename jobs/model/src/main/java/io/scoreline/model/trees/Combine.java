package io.scoreline.model.trees;

import io.scoreline.model.Score;
import java.util.Arrays;
import java.util.List;

/**
 * How an ensemble turns its trees' summed leaves into a Score, each in the same floating-point steps as the Smile
 * model it replaces (so the results are equal, not close).
 */
enum Combine {
    /** regression.RandomForest: the mean of the trees. */
    MEAN,
    /** regression.GradientTreeBoost: b + Σ shrinkage·tree. */
    SUM,
    /** classification.RandomForest: Σ weight·posteriori, divided by its L1 norm (MathEx.unitize1), then whichMax. */
    NORMALIZE,
    /** classification.GradientTreeBoost with 2 classes: p0 = 1 / (1 + e^(2f)), label 1 when f > 0. */
    LOGISTIC,
    /** classification.GradientTreeBoost with k classes: one sum per class, softmax shifted by the largest. */
    SOFTMAX;

    /** The number of accumulators a row needs. */
    int accumulators(int classes) {
        return this == NORMALIZE || this == SOFTMAX ? classes : 1;
    }

    /** Turns a row's accumulators {@code sums[at..at+n)} into its Score. */
    Score finish(double[] sums, int at, int n, int trees, List<String> classes) {
        return switch (this) {
            case MEAN -> Score.regression(sums[at] / trees);
            case SUM -> Score.regression(sums[at]);
            case NORMALIZE -> {
                double[] acc = Arrays.copyOfRange(sums, at, at + n);
                double norm = 0;
                for (double p : acc) norm += Math.abs(p);
                for (int j = 0; j < acc.length; j++) acc[j] /= norm;
                int y = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < acc.length; j++) {
                    if (acc[j] > max) {
                        max = acc[j];
                        y = j;
                    }
                }
                yield classified(y, acc, classes);
            }
            case LOGISTIC -> {
                double f = sums[at];
                double[] p = new double[2];
                p[0] = 1 / (1 + Math.exp(2 * f));
                p[1] = 1 - p[0];
                yield classified(f > 0 ? 1 : 0, p, classes);
            }
            case SOFTMAX -> {
                double[] acc = Arrays.copyOfRange(sums, at, at + n);
                int y = -1;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < acc.length; j++) {
                    if (acc[j] > max) {
                        max = acc[j];
                        y = j;
                    }
                }
                double sum = 0;
                for (int j = 0; j < acc.length; j++) {
                    acc[j] = Math.exp(acc[j] - max);
                    sum += acc[j];
                }
                for (int j = 0; j < acc.length; j++) acc[j] /= sum;
                yield classified(y, acc, classes);
            }
        };
    }

    private static Score classified(int y, double[] probabilities, List<String> classes) {
        return new Score(y, y >= 0 && y < classes.size() ? classes.get(y) : Integer.toString(y), probabilities);
    }
}
