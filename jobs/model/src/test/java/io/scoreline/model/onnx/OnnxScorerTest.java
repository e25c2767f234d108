package io.scoreline.model.onnx;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Feature;
import io.scoreline.model.ModelSpecCheck;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixtures (src/test/resources/onnx, written by make-fixtures.py with skl2onnx) scored by predict's scorer must
 * give what Python's onnxruntime gave for the same rows: tensor and ZipMap probabilities, int64 and string labels,
 * float, double, int64 and string inputs, one [N, k] input and one input per feature.
 */
class OnnxScorerTest {
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"iris-tensor", "iris-zipmap", "churn-strings", "diabetes-double", "counts-int64", "churn-demo"})
    void scoresAsPythonsOnnxRuntimeDoes(String fixture) throws IOException {
        ModelSpec spec = spec(fixture);
        if (spec.onnx() == null) spec = OnnxModels.bind(spec, resource(fixture, "model.onnx"), fixture, JobException::usage);
        JsonNode expected = Json.MAPPER.readTree(resource(fixture, "expected.json"));
        double[][] rows = Json.MAPPER.convertValue(expected.get("rows"), double[][].class);
        Scorer scorer = OnnxModels.scorer(spec, resource(fixture, "model.onnx"), "model " + fixture);

        Score[] batch = new Score[rows.length + 2];
        scorer.score(rows, 0, rows.length, batch);
        scorer.score(rows, 1, 3, batch); // a slice writes its own slots only
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            Score one = scorer.score(rows[i]);
            for (Score s : List.of(batch[i], one)) {
                int row = i;
                ModelSpec model = spec;
                if (model.task() == ModelSpec.Task.REGRESSION) {
                    checks.add(() -> assertEquals(expected.get("values").get(row).asDouble(), s.value(), TOLERANCE, "row " + row));
                    continue;
                }
                String label = expected.get("labels").get(row).asText();
                double[] probabilities = Json.MAPPER.convertValue(expected.get("probabilities").get(row), double[].class);
                checks.add(() -> assertEquals(label, s.label(), "row " + row));
                checks.add(() -> assertEquals(model.classes().indexOf(label), (int) s.value(), "row " + row));
                for (int c = 0; c < probabilities.length; c++) {
                    int cls = c;
                    checks.add(() -> assertEquals(probabilities[cls], s.probabilities()[cls], TOLERANCE, "row " + row + " class " + cls));
                }
            }
        }
        assertAll(checks);
        assertNull(batch[rows.length], "nothing beyond the batch is written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris-tensor", "iris-zipmap", "churn-strings", "diabetes-double", "counts-int64"})
    void registerDerivesTheOnnxSectionFromTheModelsMetadata(String fixture) throws IOException {
        ModelSpec spec = spec(fixture);
        ModelSpec bound = OnnxModels.bind(spec.withOnnx(null), resource(fixture, "model.onnx"), "x", JobException::usage);
        assertEquals(spec.onnx(), bound.onnx());
        assertEquals(spec.onnx(), OnnxModels.bind(spec, resource(fixture, "model.onnx"), "x", JobException::usage).onnx());
    }

    @Test
    void aRenamedFeatureIsNamed() throws IOException {
        ModelSpec spec = spec("churn-strings");
        List<Feature> renamed = List.of(rename(spec.features().get(0), "tenure"), spec.features().get(1));
        ModelSpec changed = withFeatures(spec, renamed).withOnnx(null);
        assertRefused("the ONNX model has input 'tenure_months', which is not a feature in model.json (its inputs: tenure_months,"
            + " contract)", changed, "churn-strings");
    }

    @Test
    void anExtraOrMissingFeatureIsNamed() throws IOException {
        ModelSpec spec = spec("iris-tensor");
        List<Feature> more = new ArrayList<>(spec.features());
        more.add(new Feature("petal_colour", ModelSpec.FeatureType.NUMBER, null, null));
        assertRefused("feature 'petal_colour' has no place in ONNX input 'input', which takes 4 values per row"
            + " (model.json feeds it 5 features)", withFeatures(spec, more).withOnnx(null), "iris-tensor");
        assertRefused("ONNX input 'input' takes 4 values per row but model.json feeds it 3 features: the model expects a"
            + " feature after 'petal_length'", withFeatures(spec, spec.features().subList(0, 3)).withOnnx(null), "iris-tensor");
    }

    @Test
    void aStringInputFedFromANumberIsRefused() throws IOException {
        ModelSpec spec = spec("churn-strings");
        List<Feature> numbers = List.of(spec.features().get(0), new Feature("contract", ModelSpec.FeatureType.NUMBER, null, null));
        assertRefused("ONNX input 'contract' takes string values, but model.json says float", withFeatures(spec, numbers)
            .withOnnx(new io.scoreline.model.OnnxBinding(List.of(spec.onnx().inputs().get(0),
                new io.scoreline.model.OnnxBinding.Input("contract", "float", List.of("contract"))), spec.onnx().outputs())), "churn-strings");
        assertRefused("feature 'contract' is a number but feeds string input 'contract'; only category features feed string"
            + " inputs", withFeatures(spec, numbers), "churn-strings");
    }

    @Test
    void classesThatDoNotFitAreRefused() throws IOException {
        ModelSpec spec = spec("iris-tensor");
        assertRefused("the ONNX model gives 3 class probabilities per row but model.json lists 2 classes (0, 1)",
            withClasses(spec, List.of("0", "1")), "iris-tensor");
        JobException e = assertThrows(JobException.class, () -> OnnxModels.scorer(withClasses(spec, List.of("a", "b", "c")),
            resource("iris-tensor", "model.onnx"), "model iris"));
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
        assertTrue(e.getMessage().contains("which model.json's classes (a, b, c) do not list"), e.getMessage());
    }

    @Test
    void truncatedOrForeignBytesAreRefusedInOneLine() throws IOException {
        byte[] bytes = resource("iris-tensor", "model.onnx");
        for (byte[] bad : List.of(Arrays.copyOf(bytes, bytes.length / 2), "not onnx".getBytes(), new byte[0])) {
            JobException e = assertThrows(JobException.class, () -> OnnxModels.scorer(spec("iris-tensor"), bad, "model iris/v1"));
            assertEquals(ExitCode.MODEL_INVALID, e.exitCode());
            assertTrue(e.getMessage().startsWith("model iris/v1: "), e.getMessage());
            assertUserWords(e.getMessage());
        }
    }

    /** register refuses with exit 2, load with exit 5, both with the same line. */
    private static void assertRefused(String reason, ModelSpec spec, String fixture) throws IOException {
        byte[] bytes = resource(fixture, "model.onnx");
        JobException atRegister = assertThrows(JobException.class, () -> OnnxModels.bind(spec, bytes, "model.onnx", JobException::usage));
        assertEquals(ExitCode.USAGE, atRegister.exitCode());
        assertEquals("model.onnx does not fit its model.json: " + reason, atRegister.getMessage());
        if (spec.onnx() == null) return;
        JobException atLoad = assertThrows(JobException.class, () -> OnnxModels.scorer(spec, bytes, "model m/v1"));
        assertEquals(ExitCode.MODEL_INVALID, atLoad.exitCode());
        assertEquals("model m/v1 does not fit its model.json: " + reason, atLoad.getMessage());
    }

    private static void assertUserWords(String message) {
        assertFalse(message.contains("\n"), message);
        for (String internal : List.of("ai.onnxruntime", "ORT_", "Exception", "protobuf")) assertFalse(message.contains(internal), message);
    }

    private static ModelSpec spec(String fixture) throws IOException {
        return ModelSpecCheck.read(resource(fixture, "model.json"), fixture, JobException::usage).withIdentity("m", "v1", null, 0);
    }

    private static ModelSpec withFeatures(ModelSpec s, List<Feature> features) {
        return new ModelSpec(s.schemaVersion(), s.name(), s.version(), s.format(), s.file(), s.sha256(), s.size(), s.task(),
            s.algorithm(), features, s.target(), s.classes(), s.createdAt(), s.training(), s.onnx(), s.trees());
    }

    private static ModelSpec withClasses(ModelSpec s, List<String> classes) {
        return new ModelSpec(s.schemaVersion(), s.name(), s.version(), s.format(), s.file(), s.sha256(), s.size(), s.task(),
            s.algorithm(), s.features(), s.target(), classes, s.createdAt(), s.training(), s.onnx(), s.trees());
    }

    private static Feature rename(Feature f, String name) {
        return new Feature(name, f.type(), f.defaultValue(), f.levels());
    }

    private static byte[] resource(String fixture, String file) throws IOException {
        try (InputStream in = OnnxScorerTest.class.getResourceAsStream("/onnx/" + fixture + "/" + file)) {
            if (in == null) throw new IOException("no test resource onnx/" + fixture + "/" + file);
            return in.readAllBytes();
        }
    }
}
