package io.scoreline.predict.train;

import io.scoreline.model.ModelSpec.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.ValueVector;

/** The Smile algorithms Scoreline trains and scores; each is covered by ModelFamiliesTest. */
public enum Algorithm {
    RANDOM_FOREST("random-forest"),
    GRADIENT_BOOSTING("gradient-boosting"),
    LOGISTIC_REGRESSION("logistic-regression");
    // Smile's OLS needs OpenBLAS natives (~100 MB a platform) that the jar leaves out; trees cover regression.

    private final String label;

    Algorithm(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean supports(Task task) {
        return switch (this) {
            case LOGISTIC_REGRESSION -> task == Task.CLASSIFICATION;
            default -> true;
        };
    }

    public static Algorithm parse(String label) {
        for (Algorithm a : values()) if (a.label.equals(label)) return a;
        throw new IllegalArgumentException("unknown algorithm '" + label + "'");
    }

    /** Fits on rows {@code x}; {@code y} holds class indexes (classification) or values (regression). */
    Serializable fit(Task task, List<String> features, String target, double[][] x, double[] y, int trees) {
        if (this == LOGISTIC_REGRESSION) {
            return LogisticRegression.fit(x, classes(y), new LogisticRegression.Options(0.1, 1e-5, 500));
        }
        DataFrame data = frame(features, target, x, y, task);
        Formula formula = Formula.lhs(target);
        return switch (this) {
            case RANDOM_FOREST -> task == Task.CLASSIFICATION
                ? smile.classification.RandomForest.fit(formula, data, new smile.classification.RandomForest.Options(trees))
                : smile.regression.RandomForest.fit(formula, data, new smile.regression.RandomForest.Options(trees));
            case GRADIENT_BOOSTING -> task == Task.CLASSIFICATION
                ? smile.classification.GradientTreeBoost.fit(formula, data, new smile.classification.GradientTreeBoost.Options(trees))
                : smile.regression.GradientTreeBoost.fit(formula, data, new smile.regression.GradientTreeBoost.Options(trees));
            case LOGISTIC_REGRESSION -> throw new IllegalStateException("handled above");
        };
    }

    private static DataFrame frame(List<String> features, String target, double[][] x, double[] y, Task task) {
        List<ValueVector> columns = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            double[] column = new double[x.length];
            for (int i = 0; i < x.length; i++) column[i] = x[i][j];
            columns.add(ValueVector.of(features.get(j), column));
        }
        columns.add(task == Task.CLASSIFICATION ? ValueVector.of(target, classes(y)) : ValueVector.of(target, y));
        return new DataFrame(columns.toArray(ValueVector[]::new));
    }

    private static int[] classes(double[] y) {
        int[] c = new int[y.length];
        for (int i = 0; i < y.length; i++) c[i] = (int) y[i];
        return c;
    }
}
