package io.scoreline.model.trees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpec.FeatureType;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.SmileScorer;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.measure.NominalScale;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;
import smile.data.vector.ValueVector;

/**
 * The flattened scorer gives exactly Smile's answers (bit for bit, label and every probability) for every ensemble
 * family, on random rows and on the edges: NaN in any feature, values exactly on a split's threshold and one ulp
 * either side, categories never seen in training, infinities.
 */
class TreeEnsemblesTest {
    private static final String[] TRAINING_ORDER = {"x1", "x2", "flag", "color"};
    /** model.json lists the features in another order than the training frame: Smile binds them by name. */
    private static final List<String> SPEC_ORDER = List.of("color", "x2", "x1", "flag");
    private static final double[] ODD_VALUES = {Double.NaN, -1, 3, 4, 2.5, -0.0, 0.999, 1e10, -1e10,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    enum Family { RF, GBM }

    static Stream<Arguments> models() {
        List<Arguments> all = new ArrayList<>();
        for (Family family : Family.values()) {
            for (boolean nominal : new boolean[] {false, true}) {
                all.add(Arguments.of(family, Task.CLASSIFICATION, 2, nominal));
                all.add(Arguments.of(family, Task.CLASSIFICATION, 3, nominal));
                all.add(Arguments.of(family, Task.REGRESSION, 0, nominal));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} classes={2} nominal color={3}")
    @MethodSource("models")
    void scoresEqualSmiles(Family family, Task task, int classes, boolean nominal) {
        Object model = fit(family, task, classes, nominal);
        ModelSpec spec = spec(task, classes);
        Scorer smile = SmileScorer.of(model, spec);
        Scorer fast = TreeEnsembles.scorer(model, spec);
        FlatTreeScorer flat = assertInstanceOf(FlatTreeScorer.class, fast, "an ensemble is flattened, not left to Smile");

        double[][] rows = rows(flat, 3000, 7);
        Score[] batch = new Score[rows.length + 5];
        fast.score(rows, 0, 1000, batch);
        fast.score(rows, 1000, rows.length, batch);
        for (int i = 0; i < rows.length; i++) {
            Score expected = smile.score(rows[i]);
            String where = "row " + i + " " + java.util.Arrays.toString(rows[i]);
            same(expected, fast.score(rows[i]), where);
            same(expected, batch[i], where + " (batch)");
        }
        assertEquals(null, batch[rows.length], "nothing written past 'to'");
    }

    @Test
    void otherSmileModelsStayWithSmile() {
        double[][] x = IntStream.range(0, 60).mapToObj(i -> new double[] {i / 60.0, (i % 7) / 7.0}).toArray(double[][]::new);
        int[] y = IntStream.range(0, 60).map(i -> i < 30 ? 0 : 1).toArray();
        LogisticRegression logistic = LogisticRegression.fit(x, y, new LogisticRegression.Options(0.1, 1e-5, 500));
        ModelSpec spec = new ModelSpec(1, "m", "v1", ModelSpec.SMILE, "model.smile", null, 0, Task.CLASSIFICATION, "test",
            List.of(new Feature("a", FeatureType.NUMBER, null, null), new Feature("b", FeatureType.NUMBER, null, null)), "y",
            List.of("no", "yes"), null, null);
        assertEquals(null, TreeEnsembles.flattened(logistic, spec));
        Scorer scorer = TreeEnsembles.scorer(logistic, spec);
        assertFalse(scorer instanceof FlatTreeScorer);
        assertEquals("yes", scorer.score(new double[] {0.9, 0.5}).label());
    }

    @Test
    void theRegistrysLoaderPicksTheFlattenedScorer() throws Exception {
        Object model = fit(Family.RF, Task.CLASSIFICATION, 2, true);
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        Scorer scorer = ModelRegistry.inspect(spec(Task.CLASSIFICATION, 2), bytes.toByteArray(), "test model");
        assertInstanceOf(FlatTreeScorer.class, scorer);
    }

    static void same(Score expected, Score actual, String where) {
        assertEquals(expected.label(), actual.label(), where);
        assertEquals(Double.doubleToLongBits(expected.value()), Double.doubleToLongBits(actual.value()),
            where + ": " + expected.value() + " vs " + actual.value());
        if (expected.probabilities() == null) {
            assertEquals(null, actual.probabilities(), where);
        } else {
            assertArrayEquals(expected.probabilities(), actual.probabilities(), 0.0, where);
            for (int j = 0; j < expected.probabilities().length; j++) {
                assertEquals(Double.doubleToLongBits(expected.probabilities()[j]), Double.doubleToLongBits(actual.probabilities()[j]), where);
            }
        }
    }

    /** Random rows, then the same rows with one feature set to a threshold (±1 ulp) or an odd value. */
    static double[][] rows(FlatTreeScorer scorer, int n, long seed) {
        Random random = new Random(seed);
        FlatForest forest = forestOf(scorer);
        List<double[]> thresholds = new ArrayList<>();
        for (int node = 0; node < forest.feature().length; node++) {
            if (forest.child()[node] < node) continue; // a leaf
            int f = forest.feature()[node];
            thresholds.add(new double[] {f >= 0 ? f : FlatForest.NOMINAL - f, forest.threshold()[node]});
        }
        assertFalse(thresholds.isEmpty());
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = random(random);
            switch (i % 4) {
                case 1 -> {
                    double[] t = thresholds.get(random.nextInt(thresholds.size()));
                    row[(int) t[0]] = switch (random.nextInt(3)) {
                        case 0 -> t[1];
                        case 1 -> Math.nextUp(t[1]);
                        default -> Math.nextDown(t[1]);
                    };
                }
                case 2 -> row[random.nextInt(row.length)] = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
                case 3 -> {
                    row[random.nextInt(row.length)] = Double.NaN;
                    row[random.nextInt(row.length)] = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
                }
                default -> { }
            }
            rows[i] = row;
        }
        return rows;
    }

    static FlatForest forestOf(FlatTreeScorer scorer) {
        try {
            var field = FlatTreeScorer.class.getDeclaredField("forest");
            field.setAccessible(true);
            return (FlatForest) field.get(scorer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A row in SPEC_ORDER: color index, x2, x1, flag. */
    private static double[] random(Random random) {
        return new double[] {random.nextInt(3), random.nextDouble() * 2 - 1, random.nextDouble() * 2 - 1, random.nextInt(2)};
    }

    static ModelSpec spec(Task task, int classes) {
        List<String> labels = task == Task.CLASSIFICATION ? IntStream.range(0, classes).mapToObj(j -> "c" + j).toList() : null;
        List<Feature> features = SPEC_ORDER.stream().map(f -> new Feature(f, FeatureType.NUMBER, null, null)).toList();
        return new ModelSpec(1, "m", "v1", ModelSpec.SMILE, "model.smile", null, 0, task, "test", features, "y", labels, null, null);
    }

    static Object fit(Family family, Task task, int classes, boolean nominal) {
        Random random = new Random(11);
        int n = 600;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] flag = new double[n];
        int[] color = new int[n];
        int[] label = new int[n];
        double[] value = new double[n];
        for (int i = 0; i < n; i++) {
            x1[i] = random.nextDouble() * 2 - 1;
            x2[i] = random.nextDouble() * 2 - 1;
            flag[i] = random.nextInt(2);
            color[i] = random.nextInt(3);
            double z = 2 * x1[i] - x2[i] + 0.5 * flag[i] + (color[i] == 2 ? 0.8 : 0) + random.nextGaussian() * 0.3;
            label[i] = classes == 3 ? (z < -0.5 ? 0 : z < 0.7 ? 1 : 2) : (z > 0.2 ? 1 : 0);
            value[i] = z;
        }
        ValueVector colorColumn = nominal
            ? new IntVector(new StructField("color", DataTypes.IntType, new NominalScale("blue", "green", "red")), color)
            : new DoubleVector("color", IntStream.of(color).asDoubleStream().toArray());
        ValueVector target = task == Task.CLASSIFICATION ? new IntVector("y", label) : new DoubleVector("y", value);
        DataFrame data = new DataFrame(new DoubleVector(TRAINING_ORDER[0], x1), new DoubleVector(TRAINING_ORDER[1], x2),
            new DoubleVector(TRAINING_ORDER[2], flag), colorColumn, target);
        Formula formula = Formula.lhs("y");
        return switch (family) {
            case RF -> task == Task.CLASSIFICATION
                ? smile.classification.RandomForest.fit(formula, data, new smile.classification.RandomForest.Options(40))
                : smile.regression.RandomForest.fit(formula, data, new smile.regression.RandomForest.Options(40));
            case GBM -> task == Task.CLASSIFICATION
                ? smile.classification.GradientTreeBoost.fit(formula, data, new smile.classification.GradientTreeBoost.Options(40))
                : smile.regression.GradientTreeBoost.fit(formula, data, new smile.regression.GradientTreeBoost.Options(40));
        };
    }

    @Test
    void nominalModelsHaveEqualitySplits() {
        FlatTreeScorer scorer = (FlatTreeScorer) TreeEnsembles.scorer(fit(Family.RF, Task.CLASSIFICATION, 2, true),
            spec(Task.CLASSIFICATION, 2));
        byte[] tests = forestOf(scorer).test();
        assertTrue(IntStream.range(0, tests.length).anyMatch(i -> tests[i] == FlatForest.NOMINAL), "the edge cases reach NominalNode");
        assertTrue(!forestOf(scorer).simple(), "and are scored by the general walk");
    }
}
