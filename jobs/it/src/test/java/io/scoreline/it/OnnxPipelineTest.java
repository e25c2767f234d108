package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ONNX model (scikit-learn forest + one-hot encoder) through fetch → predict → publish as jars, beside the Smile one
 * of {@link TwoCyclesTest}: registered by predict.jar register from model.onnx alone, promoted over the Smile version,
 * two incremental cycles merged into the snapshot, and predict run again giving identical bytes.
 */
class OnnxPipelineTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(300);

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void anOnnxModelScoresTwoCyclesAndARerunOfPredictGivesTheSameBytes(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store); // the Smile model as churn/v1, production
        OnnxFixture.register(store, "onnx-1"); // production moves to the ONNX version
        Fixtures.appendDocuments(p.source, 0, 300, T0.minusSeconds(3600), 2);
        p.cycle("run-1", T0);
        Fixtures.appendDocuments(p.source, 300, 50, T0.plusSeconds(60), 2);
        Fixtures.appendDocuments(p.source, 0, 100, T0.plusSeconds(120), 70);
        assertEquals(0, p.fetch("run-2", T1).exit());
        assertEquals(0, p.predict("run-2").exit());
        String predictionsBefore = Fixtures.sha256(store, "runs/run-2/predictions.ndjson.gz");
        var again = p.predict("run-2"); // ONNX Runtime's threads must not change a byte (before publish: then it is history)
        assertEquals(0, again.exit(), again.toString());
        assertEquals(predictionsBefore, Fixtures.sha256(store, "runs/run-2/predictions.ndjson.gz"));
        assertEquals(0, p.publish("run-2").exit());

        JsonNode predicted = Fixtures.json(store, Layout.manifest(RunId.parse("run-2"), "predict"));
        assertEquals("onnx-1", predicted.path("model").path("version").asText(), predicted.toString());
        assertEquals(0, predicted.path("rejected").asLong(), predicted.toString());
        Map<String, JsonNode> latest = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
        assertEquals(350, latest.size());
        for (JsonNode record : latest.values()) {
            assertTrue(List.of("no", "yes").contains(record.path("prediction").asText()), record.toString());
            double no = record.path("probabilities").path("no").asDouble(), yes = record.path("probabilities").path("yes").asDouble();
            assertEquals(1.0, no + yes, 1e-6, record.toString());
            assertEquals(yes > no ? "yes" : "no", record.path("prediction").asText(), record.toString());
            assertEquals("onnx-1", record.path("model_version").asText());
        }
        Map<String, JsonNode> first = Fixtures.records(store, p.snapshot("run-1"));
        assertNotEquals(first.get("cust-00001").path("probabilities"), latest.get("cust-00001").path("probabilities"),
            "an updated document is scored again");
        assertEquals(first.get("cust-00201"), latest.get("cust-00201"), "an untouched document keeps its prediction");

    }
}
