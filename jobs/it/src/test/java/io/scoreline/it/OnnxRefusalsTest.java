package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Precondition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX models that must not score, black-box through the jars on both stores: register refuses a model whose inputs
 * do not match the declared features (exit 2, nothing stored); predict refuses a planted one, a truncated file, wrong
 * sha256 and a file far over --max-model-bytes (exit 5, one line in the user's words, nothing published).
 */
class OnnxRefusalsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void registerRefusesInputsThatDoNotMatchTheFeatures(TestStore store) throws Exception {
        var renamed = Jobs.run(store.env(), "predict", "register", "--model", "churn", "--model-version", "v1", "--alias",
            "production", "--model-dir", OnnxFixture.modelDir(s -> rename(s, "tenure_months", "tenure")).toString());
        assertEquals(2, renamed.exit(), renamed.toString());
        assertOneLine(renamed, "does not fit its model.json: the ONNX model has input 'tenure_months', which is not a feature in"
            + " model.json");
        assertEquals(List.of(), store.list("models/"), "nothing stored");
    }

    /** A model.json and bytes planted as churn/v2 behind register's back, and what predict must say about them. */
    record Planted(String name, UnaryOperator<ObjectNode> spec, UnaryOperator<byte[]> bytes, boolean fixSha, String says,
                   String... predictArgs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Planted> planted() {
        UnaryOperator<ObjectNode> renamedInput = s -> {
            ObjectNode input = (ObjectNode) s.path("onnx").path("inputs").get(0);
            input.put("name", "tenure").set("features", Json.MAPPER.createArrayNode().add("tenure"));
            return rename(s, "tenure_months", "tenure");
        };
        return List.of(
            new Planted("inputs that do not match", renamedInput, b -> b, true,
                "does not fit its model.json: feature 'tenure' is not an input of the ONNX model (its inputs: tenure_months,"),
            new Planted("a truncated ONNX file", s -> s, b -> Arrays.copyOf(b, b.length / 2), true,
                "its bytes are not a readable ONNX model (truncated, damaged or not ONNX); register it again"),
            new Planted("a wrong sha256", s -> s, b -> b, false, "is corrupt: its bytes have sha256"),
            new Planted("a model far larger than the limit", s -> s, b -> b, true, "(--max-model-bytes); raise the limit",
                "--max-model-bytes", "1000"));
    }

    /** One fetched run; each bad version in turn is planted and promoted behind register's back, and refused. */
    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void predictRefusesEachAndPublishesNothing(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store); // the Smile model as churn/v1
        OnnxFixture.register(store, "onnx-1");
        Fixtures.appendDocuments(p.source, 0, 20, T0.minusSeconds(60), 3);
        assertEquals(0, p.fetch("run-1", T0).exit());
        ObjectNode good = (ObjectNode) Fixtures.json(store, Layout.modelSpec("churn", "onnx-1"));
        int n = 0;
        for (Planted planted : planted()) {
            String version = "bad-" + ++n;
            byte[] bytes = planted.bytes().apply(OnnxFixture.bytes());
            ObjectNode spec = planted.spec().apply(good.deepCopy());
            spec.put("version", version).put("size", bytes.length)
                .put("sha256", Digests.sha256Hex(planted.fixSha() ? bytes : "other bytes".getBytes(StandardCharsets.UTF_8)));
            try (ObjectStore s = store.open()) {
                s.put(Layout.modelDir("churn", version) + "model.onnx", bytes, Precondition.NONE);
                s.put(Layout.modelSpec("churn", version), Json.MAPPER.writeValueAsBytes(spec), Precondition.NONE);
                s.put(Layout.alias("churn", "production"), ("{\"version\":\"" + version + "\"}").getBytes(StandardCharsets.UTF_8),
                    Precondition.NONE);
            }

            var r = p.predict("run-1", planted.predictArgs());
            assertEquals(5, r.exit(), planted + ": " + r);
            assertOneLine(r, planted.says());
            assertFalse(store.list("runs/").contains(Layout.predictions(RunId.parse("run-1"))), planted + ": no predictions written");
        }
        assertEquals(2, p.publish("run-1").exit(), "nothing to publish");
        assertTrue(store.list("latest/").isEmpty(), "nothing published");
    }

    private static ObjectNode rename(ObjectNode spec, String from, String to) {
        ArrayNode features = spec.withArray("features");
        for (var f : features) if (f.path("name").asText().equals(from)) ((ObjectNode) f).put("name", to);
        return spec;
    }

    private static void assertOneLine(Jobs.Result r, String says) {
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(says), r.err());
        for (String internal : List.of("\tat ", "Exception", "ai.onnxruntime", "ORT_", "ONNXRuntimeError", "protobuf")) {
            assertFalse(r.err().contains(internal), r.err());
        }
    }
}
