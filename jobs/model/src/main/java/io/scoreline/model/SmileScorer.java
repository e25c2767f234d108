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

    /**
     * A scorer checked against its model.json: the declared classes must be the model's own, and one row of the declared
     * features must score, so a model.json that does not fit its model is refused at load instead of failing (or
     * publishing wrong labels) later.
     */
    public static Scorer of(Object model, ModelSpec spec) {
        Scorer scorer = unchecked(model, spec);
        if (model instanceof Classifier<?> c && c.numClasses() != spec.classes().size()) {
            throw incompatible(spec, "model.json lists " + spec.classes().size() + " classes but the model has "
                + c.numClasses());
        }
        if (model instanceof Classifier<?> c && !java.util.Arrays.equals(c.classes(), java.util.stream.IntStream
            .range(0, c.numClasses()).toArray())) {
            throw incompatible(spec, "its class labels are not 0.." + (c.numClasses() - 1) + " in model.json's order");
        }
        List<String> declared = spec.features().stream().map(ModelSpec.Feature::name).toList();
        StructType uses = model instanceof DataFrameClassifier c ? c.schema() : model instanceof DataFrameRegression r ? r.schema() : null;
        if (uses != null) {
            for (StructField field : uses.fields()) {
                if (!declared.contains(field.name())) {
                    throw incompatible(spec, "the model uses feature '" + field.name() + "', which model.json does not list");
                }
            }
        }
        try {
            scorer.score(new double[declared.size()]);
        } catch (RuntimeException e) {
            throw incompatible(spec, "the " + declared.size() + " features in model.json do not fit the model");
        }
        return scorer;
    }

    @SuppressWarnings("unchecked")
    private static Scorer unchecked(Object model, ModelSpec spec) {
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
        // the user's terms, not a Java class name: what the bytes are against what model.json's task says
        throw incompatible(spec, "model.json says task " + spec.task().name().toLowerCase(java.util.Locale.ROOT)
            + " but the bytes hold " + kind(model));
    }

    private static String kind(Object model) {
        if (model instanceof Classifier<?> || model instanceof DataFrameClassifier) return "a Smile classification model";
        if (model instanceof Regression<?> || model instanceof DataFrameRegression) return "a Smile regression model";
        return "no Smile model";
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
        // at register, model.json has no name or version yet (they come with the command, which names the directory)
        String which = spec.name() == null ? "the model" : "model " + spec.name() + "/" + spec.version();
        return JobException.model(which + " cannot be used: " + why, null);
    }
}
