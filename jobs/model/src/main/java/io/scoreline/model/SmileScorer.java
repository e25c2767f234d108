package io.scoreline.model;

import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec.Task;
import java.util.List;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.data.Tuple;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;
import smile.regression.DataFrameRegression;
import smile.regression.Regression;

/** Scores with a deserialized Smile model: formula-based (trees, OLS) or plain double[] ones (logistic regression). */
public final class SmileScorer {
    private SmileScorer() {}

    @SuppressWarnings("unchecked")
    public static Scorer of(Object model, ModelSpec spec) {
        StructType schema = new StructType(spec.features().stream()
            .map(f -> new StructField(f.name(), DataTypes.DoubleType)).toList());
        if (spec.task() == Task.CLASSIFICATION) {
            List<String> classes = spec.classes();
            if (classes == null || classes.isEmpty()) throw incompatible(spec, "it declares no classes");
            if (model instanceof DataFrameClassifier c) return row -> classify(c, Tuple.of(schema, row), classes);
            if (model instanceof Classifier<?> c) return row -> classify((Classifier<double[]>) c, row, classes);
        } else {
            if (model instanceof DataFrameRegression r) return row -> Score.regression(r.predict(Tuple.of(schema, row)));
            if (model instanceof Regression<?> r) return row -> Score.regression(((Regression<double[]>) r).predict(row));
        }
        throw incompatible(spec, "the bytes hold a " + model.getClass().getName() + ", not a Smile "
            + spec.task().name().toLowerCase(java.util.Locale.ROOT) + " model");
    }

    private static <T> Score classify(Classifier<T> model, T x, List<String> classes) {
        if (!model.soft()) {
            int y = model.predict(x);
            return new Score(y, label(classes, y), null);
        }
        double[] posteriori = new double[model.numClasses()];
        int y = model.predict(x, posteriori);
        return new Score(y, label(classes, y), posteriori);
    }

    private static String label(List<String> classes, int y) {
        return y >= 0 && y < classes.size() ? classes.get(y) : Integer.toString(y);
    }

    private static JobException incompatible(ModelSpec spec, String why) {
        return JobException.model("model " + spec.name() + "/" + spec.version() + " cannot be used: " + why, null);
    }
}
