package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The ONNX model of the black-box tests: a scikit-learn forest over the demo documents' six features, converted by
 * skl2onnx (jobs/model/src/test/resources/onnx/churn-demo, written by make-fixtures.py). Its model.json has no onnx
 * section: register reads the inputs and outputs from the model.
 */
final class OnnxFixture {
    static final Path DIR = Jobs.ROOT.resolve("jobs/model/src/test/resources/onnx/churn-demo");

    private OnnxFixture() {}

    static byte[] bytes() throws IOException {
        return Files.readAllBytes(DIR.resolve("model.onnx"));
    }

    static ObjectNode spec() throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(DIR.resolve("model.json").toFile());
    }

    /** A model folder as a user hands it to register: model.onnx and a model.json changed by {@code spec}. */
    static Path modelDir(UnaryOperator<ObjectNode> spec) throws IOException {
        Path dir = Files.createTempDirectory("scoreline-onnx-");
        Files.write(dir.resolve("model.onnx"), bytes());
        Files.write(dir.resolve("model.json"), Json.MAPPER.writeValueAsBytes(spec.apply(spec())));
        return dir;
    }

    static void register(TestStore store, String version) throws IOException {
        var r = Jobs.run(store.env(), "predict", "register", "--model-dir", modelDir(s -> s).toString(), "--model", "churn",
            "--model-version", version, "--alias", "production");
        assertEquals(0, r.exit(), r.toString());
    }
}
