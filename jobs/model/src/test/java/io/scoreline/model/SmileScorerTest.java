package io.scoreline.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.ModelSpec.Task;
import java.util.List;
import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;

/** A model.json that does not fit its model is refused when the model is loaded, never scored into wrong output. */
class SmileScorerTest {
    private static final int ROWS = 60;

    private static double[][] x() {
        double[][] x = new double[ROWS][];
        for (int i = 0; i < ROWS; i++) x[i] = new double[] {i / (double) ROWS, (i % 7) / 7.0};
        return x;
    }

    private static int[] y() {
        int[] y = new int[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = i < ROWS / 2 ? 0 : 1;
        return y;
    }

    private static LogisticRegression logistic() {
        return LogisticRegression.fit(x(), y(), new LogisticRegression.Options(0.1, 1e-5, 500));
    }

    private static RandomForest forest() {
        double[][] x = x();
        double[] a = new double[ROWS];
        double[] b = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            a[i] = x[i][0];
            b[i] = x[i][1];
        }
        DataFrame data = new DataFrame(new DoubleVector("a", a), new DoubleVector("b", b), new IntVector("y", y()));
        return RandomForest.fit(Formula.lhs("y"), data, new RandomForest.Options(10));
    }

    private static ModelSpec spec(List<String> features, Task task, List<String> classes) {
        return new ModelSpec(1, "m", "v1", ModelSpec.SMILE, "model.smile", null, 0, task, "test",
            features.stream().map(f -> new Feature(f, FeatureType.NUMBER, null, null)).toList(), "y", classes, null, null);
    }

    private static String refusal(Object model, ModelSpec spec) {
        JobException e = assertThrows(JobException.class, () -> SmileScorer.of(model, spec));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("model m/v1 cannot be used: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void fittingModelJsonScores() {
        Scorer scorer = SmileScorer.of(forest(), spec(List.of("a", "b"), Task.CLASSIFICATION, List.of("no", "yes")));
        assertEquals("yes", scorer.score(new double[] {0.95, 0.5}).label());
        assertEquals("no", SmileScorer.of(logistic(), spec(List.of("a", "b"), Task.CLASSIFICATION, List.of("no", "yes")))
            .score(new double[] {0.05, 0.5}).label());
    }

    @Test
    void refusesClassesThatDisagreeWithTheModel() {
        String message = refusal(logistic(), spec(List.of("a", "b"), Task.CLASSIFICATION, List.of("no", "maybe", "yes")));
        assertTrue(message.contains("model.json lists 3 classes but the model has 2"), message);
        refusal(forest(), spec(List.of("a", "b"), Task.CLASSIFICATION, List.of("yes")));
    }

    @Test
    void refusesARenamedFeature() {
        String message = refusal(forest(), spec(List.of("a", "renamed"), Task.CLASSIFICATION, List.of("no", "yes")));
        assertTrue(message.contains("the model uses feature 'b', which model.json does not list"), message);
    }

    @Test
    void aTaskThatDisagreesWithTheBytesIsSaidInTheUsersTerms() {
        String message = refusal(forest(), spec(List.of("a", "b"), Task.REGRESSION, null));
        assertTrue(message.endsWith("model.json says task regression but the bytes hold a Smile classification model"), message);
    }

    @Test
    void aModelJsonNotYetRegisteredIsCalledTheModel() {
        var unnamed = new ModelSpec(1, null, null, ModelSpec.SMILE, "model.smile", null, 0, Task.CLASSIFICATION, "test",
            List.of(new Feature("a", FeatureType.NUMBER, null, null)), "y", List.of("no", "yes"), null, null);
        JobException e = assertThrows(JobException.class, () -> SmileScorer.of(forest(), unnamed));
        assertTrue(e.getMessage().startsWith("the model cannot be used: "), e.getMessage());
    }

    @Test
    void refusesFewerFeaturesThanTheModelUses() {
        refusal(forest(), spec(List.of("a"), Task.CLASSIFICATION, List.of("no", "yes")));
        String message = refusal(logistic(), spec(List.of("a"), Task.CLASSIFICATION, List.of("no", "yes")));
        assertTrue(message.contains("the 1 features in model.json do not fit the model"), message);
    }
}
