package io.scoreline.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpecCheck;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.trees.OnnxTrees;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX tree ensembles (src/test/resources/onnx/trees, written by make-tree-fixtures.py: scikit-learn, XGBoost and
 * LightGBM conversions and hand-built graphs for every node mode, missing values, post transform and two-class form)
 * take the flattened trees, which must answer as ONNX Runtime does on every row: rows on and around every threshold,
 * random rows, and rows with NaN; the batch method and one row at a time alike.
 */
class OnnxTreesParityTest {
    private static final double TOLERANCE = 1e-5;

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(OnnxTreesParityTest.class.getResource("/onnx/trees").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void flattenedTreesAnswerAsOnnxRuntimeOnEveryRow(String fixture) throws IOException {
        byte[] bytes = resource(fixture, "model.onnx");
        ModelSpec spec = ModelSpecCheck.read(resource(fixture, "model.json"), fixture, IllegalStateException::new);
        Scorer fast = OnnxModels.scorer(spec, bytes, fixture);
        assertTrue(fast.describe().startsWith("fast trees (ONNX TreeEnsemble"), fast.describe());
        try (OnnxScorer runtime = OnnxModels.runtime(spec, bytes, fixture)) {
            double[][] rows = rows(OnnxProto.read(bytes), spec);
            Score[] expected = new Score[rows.length];
            runtime.score(rows, 0, rows.length, expected);
            Score[] batch = new Score[rows.length];
            for (int from = 0; from < rows.length; from += 700) fast.score(rows, from, Math.min(rows.length, from + 700), batch);
            for (int i = 0; i < rows.length; i++) {
                String row = fixture + " row " + i + " " + Arrays.toString(rows[i]);
                for (Score s : new Score[] {batch[i], fast.score(rows[i])}) {
                    assertEquals(expected[i].label(), s.label(), row);
                    assertEquals(expected[i].value(), s.value(), TOLERANCE * Math.max(1, Math.abs(expected[i].value())), row);
                    if (expected[i].probabilities() == null) continue;
                    for (int c = 0; c < expected[i].probabilities().length; c++) {
                        assertEquals(expected[i].probabilities()[c], s.probabilities()[c], TOLERANCE, row + " class " + c);
                    }
                }
            }
        }
    }

    @Test
    void otherGraphsStayOnOnnxRuntimeAndSayWhy() throws IOException {
        for (String fixture : new String[] {"churn-strings", "diabetes-double", "counts-int64"}) {
            byte[] bytes = OnnxScorerTest.class.getResourceAsStream("/onnx/" + fixture + "/model.onnx").readAllBytes();
            ModelSpec spec = ModelSpecCheck.read(OnnxScorerTest.class.getResourceAsStream("/onnx/" + fixture + "/model.json").readAllBytes(),
                fixture, IllegalStateException::new);
            String described = OnnxModels.scorer(spec, bytes, fixture).describe();
            assertTrue(described.startsWith("ONNX Runtime ") && described.contains("not a plain tree ensemble"), described);
        }
    }

    /** Probe rows (every threshold, and the float32 on either side), random rows across them, and some NaN values. */
    private static double[][] rows(OnnxProto.Model model, ModelSpec spec) {
        double[][] probes = OnnxTrees.probes(model, spec, 3000);
        Random random = new Random(7);
        int k = spec.features().size();
        double[][] rows = Arrays.copyOf(probes, probes.length + 1000);
        for (int i = probes.length; i < rows.length; i++) {
            double[] base = probes[random.nextInt(probes.length)];
            rows[i] = new double[k];
            for (int j = 0; j < k; j++) {
                double scale = Math.max(1e-3, Math.abs(base[j]));
                rows[i][j] = random.nextInt(10) == 0 ? Double.NaN : base[j] + random.nextGaussian() * scale;
            }
        }
        rows[rows.length - 1] = new double[k];
        return rows;
    }

    private static byte[] resource(String fixture, String file) throws IOException {
        try (var in = OnnxTreesParityTest.class.getResourceAsStream("/onnx/trees/" + fixture + "/" + file)) {
            return in.readAllBytes();
        }
    }
}
