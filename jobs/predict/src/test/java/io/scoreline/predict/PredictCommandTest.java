package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.cli.InProcess;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.records.OutputFile;
import io.scoreline.core.run.FetchManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.PredictManifest;
import io.scoreline.core.run.RunId;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.run.Window;
import io.scoreline.core.store.FileStore;
import io.scoreline.model.CheckedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.predict.train.Algorithm;
import io.scoreline.predict.train.Rows;
import io.scoreline.predict.train.Trainer;
import io.scoreline.predict.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict in-process: the fetch output of a run, scored with the production model, into predictions and rejects. */
class PredictCommandTest {
    private static final RunId RUN = RunId.parse("r1");
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
    private static Trainer.Trained trained;
    @TempDir Path root;
    private FileStore store;

    @BeforeAll
    static void train() {
        var data = TrainingData.prepare(Rows.generate(Task.CLASSIFICATION, 200, 5), "target", List.of(), List.of("id"), Task.CLASSIFICATION);
        trained = Trainer.train(data, Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, "target", 0, "generated");
    }

    @BeforeEach
    void setUp() {
        store = new FileStore(root);
    }

    private void register(String alias) {
        var registry = new ModelRegistry(store);
        registry.register(CheckedModel.of(trained.spec(), trained.bytes(), "model"), "churn", "v1");
        registry.setAlias("churn", alias, "v1");
    }

    /** Writes the run's input (ten good documents, one whose x1 is "abc") and its fetch manifest, as fetch would. */
    private OutputFile fetched(String shaInManifest) {
        List<Document> docs = new ArrayList<>();
        for (ObjectNode row : Rows.generate(Task.CLASSIFICATION, 10, 6)) {
            String id = row.get("id").asText();
            row.remove(List.of("id", "target"));
            docs.add(new Document(id, T, row));
        }
        docs.add(new Document("d6-bad", T, Json.MAPPER.createObjectNode().put("x1", "abc")));
        docs.sort(java.util.Comparator.comparing(Document::id));
        OutputFile input = NdjsonWriter.write(store, Layout.input(RUN), w -> docs.forEach(w::write));
        OutputFile recorded = shaInManifest == null ? input : new OutputFile(input.key(), input.records(), input.bytes(), shaInManifest);
        StoredJson.write(store, Layout.manifest(RUN, "fetch"), new FetchManifest(RUN.value(), "incremental", "test", "updated_at", T,
            new Window(null, T), 11, 0, 0, 0, recorded, null, null));
        return input;
    }

    private InProcess predict(String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", RUN.value(), "--store", root.toString(), "--model", "churn", "--threads", "2"));
        args.addAll(List.of(extra));
        return InProcess.run(PredictCommand::new, Map.of(), args.toArray(String[]::new));
    }

    /** Scoring's alias, exported for predict, must never move an alias at register (issue 12). */
    @Test
    void scoringAliasVariablesDoNotMoveAnAliasAtRegister(@TempDir Path modelDir) throws Exception {
        Files.write(modelDir.resolve(trained.spec().file()), trained.bytes());
        Files.write(modelDir.resolve("model.json"), Json.bytes(trained.spec()));
        Map<String, String> scoringEnv = Map.of("SCORELINE_STORE", root.toString(), "SCORELINE_ALIAS", "production",
            "SCORELINE_PREDICT_ALIAS", "production");
        InProcess r = InProcess.run(PredictCommand::new, scoringEnv, "register", "--model-dir", modelDir.toString(),
            "--model", "churn", "--model-version", "v2");
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.out().contains("alias"), r::toString);

        InProcess scoped = InProcess.run(PredictCommand::new, Map.of("SCORELINE_STORE", root.toString(),
            "SCORELINE_REGISTER_ALIAS", "staging"), "register", "--model-dir", modelDir.toString(), "--model", "churn",
            "--model-version", "v3");
        assertEquals(0, scoped.exitCode(), scoped::toString);
        assertTrue(scoped.out().contains("alias staging"), scoped::toString);
    }

    /** Bytes that do not deserialize: one line and exit 5 from register's check, before anything is stored. */
    @Test
    void registerRefusesAModelThatDoesNotDeserialize(@TempDir Path modelDir) throws Exception {
        Files.write(modelDir.resolve(trained.spec().file()), java.util.Arrays.copyOf(trained.bytes(), trained.bytes().length / 2));
        Files.write(modelDir.resolve("model.json"), Json.bytes(trained.spec()));
        InProcess r = InProcess.run(PredictCommand::new, Map.of("SCORELINE_STORE", root.toString()), "register",
            "--model-dir", modelDir.toString(), "--model", "churn", "--model-version", "v1", "--alias", "production");
        assertEquals(5, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("model " + modelDir.resolve("model.smile") + " is not a readable Smile model ("), r::toString);
        assertTrue(r.err().contains("Retrain and register it again"), r::toString);
        assertEquals(List.of(), store.list("models/"));
    }

    private List<JsonNode> lines(String key) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store, key)) {
            for (String line; (line = reader.next()) != null; ) out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    @Test
    void scoresEveryDocumentOrRejectsItWithTheReason() throws Exception {
        register("production");
        OutputFile input = fetched(null);
        InProcess r = predict();
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("scored 10 documents (1 rejected) with churn/v1 into " + Layout.predictions(RUN), r.out().strip());
        assertEquals(List.of("predict: warning: rejected 1 of 11 documents (9.1%); each with its reason in " + root.toUri()
            + Layout.rejected(RUN)), r.errLines(), "as fetch warns: " + r);

        List<JsonNode> predictions = lines(Layout.predictions(RUN));
        assertEquals(10, predictions.size());
        List<String> ids = predictions.stream().map(p -> p.get("id").asText()).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "input order (sorted by id) is kept");
        for (JsonNode p : predictions) {
            assertTrue(List.of("no", "yes").contains(p.get("prediction").asText()), p::toString);
            assertEquals("v1", p.get("model_version").asText());
            assertEquals(T.toString(), p.get("updated_at").asText());
            assertEquals(1.0, p.get("probabilities").get("no").asDouble() + p.get("probabilities").get("yes").asDouble(), 1e-9);
        }
        List<JsonNode> rejected = lines(Layout.rejected(RUN));
        assertEquals(1, rejected.size());
        assertEquals("d6-bad", rejected.get(0).get("id").asText());
        assertEquals("feature 'x1' is \"abc\", expected a number", rejected.get(0).get("reason").asText());

        PredictManifest m = StoredJson.value(store, Layout.manifest(RUN, "predict"), PredictManifest.class).orElseThrow();
        assertEquals(11, m.read());
        assertEquals(10, m.scored());
        assertEquals(1, m.rejected());
        assertEquals(input.sha256(), m.inputSha256());
        assertEquals("v1", m.model().version());
        assertEquals("production", m.model().alias());
    }

    /** Two ids that differ only in invalid bytes must not both become "bad-\uFFFD": each is rejected with the reason. */
    @Test
    void inputLinesOfInvalidUtf8AreRejectedNotMergedIntoOneId() throws Exception {
        register("production");
        fetched(null);
        List<byte[]> lines = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store, Layout.input(RUN))) {
            for (String line; (line = reader.next()) != null; ) lines.add(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (int b : new int[] {0xfe, 0xff}) {
            byte[] line = "{\"id\":\"d9-bad-?\",\"updated_at\":\"2026-01-01T10:00:00Z\",\"features\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            line[14] = (byte) b;  // the '?'
            lines.add(line);
        }
        OutputFile input = NdjsonWriter.write(store, Layout.input(RUN), w -> lines.forEach(w::writeRaw));
        StoredJson.write(store, Layout.manifest(RUN, "fetch"), new FetchManifest(RUN.value(), "incremental", "test", "updated_at", T,
            new Window(null, T), 13, 0, 0, 0, input, null, null));

        InProcess r = predict();
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(10, lines(Layout.predictions(RUN)).size());
        List<JsonNode> rejected = lines(Layout.rejected(RUN));
        assertEquals(3, rejected.size(), rejected::toString);
        assertEquals(2, rejected.stream().filter(n -> n.get("reason").asText().contains("is not valid UTF-8")).count(), rejected::toString);
        PredictManifest m = StoredJson.value(store, Layout.manifest(RUN, "predict"), PredictManifest.class).orElseThrow();
        assertEquals(13, m.read());
        assertEquals(3, m.rejected());
    }

    @Test
    void inputNotMatchingTheFetchManifestIsRefused() {
        register("production");
        fetched("0".repeat(64));
        InProcess r = predict();
        assertEquals(6, r.exitCode(), r::toString);
        assertTrue(r.err().contains("does not match fetch.json"), r::toString);
    }

    @Test
    void missingAliasIsAModelError() {
        register("staging");
        fetched(null);
        InProcess r = predict();
        assertEquals(5, r.exitCode(), r::toString);
        assertTrue(r.err().contains("has no alias 'production'"), r::toString);
        assertEquals(1, r.errLines().stream().filter(l -> l.startsWith("predict:")).count(), r::toString);
    }

    @Test
    void runWithoutFetchIsAUsageError() {
        register("production");
        InProcess r = predict();
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("run fetch with the same --run-id first"), r::toString);
    }
}
