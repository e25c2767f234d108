package io.scoreline.predict.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.SafeDeserializer;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.SmileScorer;
import io.scoreline.model.Vectorizer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every supported algorithm and task trains, survives the restricted deserializer and scores well on fresh data, with
 * only smile-core and smile-base on the classpath: the proof that the jars' trimmed Smile dependencies suffice.
 */
class ModelFamiliesTest {

    static Stream<Arguments> families() {
        return Stream.of(
            Arguments.of(Algorithm.RANDOM_FOREST, Task.CLASSIFICATION),
            Arguments.of(Algorithm.RANDOM_FOREST, Task.REGRESSION),
            Arguments.of(Algorithm.GRADIENT_BOOSTING, Task.CLASSIFICATION),
            Arguments.of(Algorithm.GRADIENT_BOOSTING, Task.REGRESSION),
            Arguments.of(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("families")
    void trainsRoundTripsAndScoresWell(Algorithm algorithm, Task task) throws Exception {
        List<ObjectNode> training = Rows.generate(task, 500, 1);
        assertEquals(task, TrainingData.inferTask(training, "target"));
        TrainingData.Prepared data = TrainingData.prepare(training, "target", List.of(), List.of("id"), task);
        assertEquals(List.of("x1", "x2", "flag", "color"), data.features().stream().map(ModelSpec.Feature::name).toList());
        assertEquals(List.of(FeatureType.NUMBER, FeatureType.NUMBER, FeatureType.BOOLEAN, FeatureType.CATEGORY),
            data.features().stream().map(ModelSpec.Feature::type).toList());

        Trainer.Trained trained = Trainer.train(data, task, algorithm, "target", 60, "generated");
        assertEquals(algorithm.label(), trained.spec().algorithm());
        assertEquals(task, trained.spec().task());
        assertEquals(trained.bytes().length, trained.spec().size());

        Scorer scorer = SmileScorer.of(SafeDeserializer.read(trained.bytes(), "model " + algorithm.label()), trained.spec());
        Vectorizer vectorizer = new Vectorizer(trained.spec().features());
        List<ObjectNode> fresh = Rows.generate(task, 300, 2);
        if (task == Task.CLASSIFICATION) {
            assertEquals(List.of("no", "yes"), trained.spec().classes());
            int right = 0;
            for (ObjectNode row : fresh) {
                Score s = scorer.score(vectorizer.row(row));
                if (row.get("target").asText().equals(s.label())) right++;
                assertNotNull(s.probabilities(), "soft classifier");
                assertEquals(1.0, s.probabilities()[0] + s.probabilities()[1], 1e-6);
            }
            double accuracy = (double) right / fresh.size();
            assertTrue(accuracy > 0.85, algorithm + " accuracy " + accuracy);
            assertEquals("holdout_accuracy", trained.metric());
            assertTrue(trained.holdout() > 0.8, "holdout " + trained.holdout());
        } else {
            double sum = 0;
            double sumSquares = 0;
            double squaredError = 0;
            for (ObjectNode row : fresh) {
                double y = row.get("target").asDouble();
                double e = scorer.score(vectorizer.row(row)).value() - y;
                sum += y;
                sumSquares += y * y;
                squaredError += e * e;
            }
            double mean = sum / fresh.size();
            double std = Math.sqrt(sumSquares / fresh.size() - mean * mean);
            double rmse = Math.sqrt(squaredError / fresh.size());
            assertTrue(rmse < 0.6 * std, algorithm + " rmse " + rmse + " vs target std " + std);
            assertEquals("holdout_rmse", trained.metric());
            assertTrue(trained.holdout() < 0.6 * std, "holdout rmse " + trained.holdout());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.bytedeco.javacpp.Loader", "org.bytedeco.openblas.global.openblas", "org.duckdb.DuckDBDriver",
        "org.apache.arrow.vector.VectorSchemaRoot"})
    void heavySmileDependenciesAreNotOnTheClasspath(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
    }

    @Test
    void logisticRegressionRefusesRegression() {
        TrainingData.Prepared data = TrainingData.prepare(Rows.generate(Task.REGRESSION, 50, 1), "target", List.of(), List.of("id"),
            Task.REGRESSION);
        JobException e = assertThrows(JobException.class,
            () -> Trainer.train(data, Task.REGRESSION, Algorithm.LOGISTIC_REGRESSION, "target", 10, "generated"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("logistic-regression does not do regression"), e.getMessage());
    }
}
