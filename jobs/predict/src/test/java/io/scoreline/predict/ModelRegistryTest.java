package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.FileStore;
import io.scoreline.core.store.Precondition;
import io.scoreline.model.CheckedModel;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.SafeDeserializer;
import io.scoreline.model.Score;
import io.scoreline.model.SmileScorer;
import io.scoreline.predict.train.Algorithm;
import io.scoreline.predict.train.Rows;
import io.scoreline.predict.train.Trainer;
import io.scoreline.predict.train.TrainingData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Register, alias and load models through a real file store; what is loaded is exactly what was registered. */
class ModelRegistryTest {
    private static Trainer.Trained trained;
    @TempDir Path root;
    private FileStore store;
    private ModelRegistry registry;

    @BeforeAll
    static void train() {
        var data = TrainingData.prepare(Rows.generate(Task.CLASSIFICATION, 100, 3), "target", List.of(), List.of("id"), Task.CLASSIFICATION);
        trained = Trainer.train(data, Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, "target", 0, "generated");
    }

    @BeforeEach
    void open() {
        store = new FileStore(root);
        registry = new ModelRegistry(store);
    }

    private ModelSpec register(Trainer.Trained model, String name, String version) {
        return registry.register(CheckedModel.of(model.spec(), model.bytes(), "model"), name, version);
    }

    private static JobException assertModelInvalid(org.junit.jupiter.api.function.Executable action) {
        JobException e = assertThrows(JobException.class, action);
        assertEquals(ExitCode.MODEL_INVALID, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void registerAliasLoadRoundTrip() throws Exception {
        ModelSpec stored = register(trained, "churn", "v1");
        assertEquals("churn", stored.name());
        assertEquals("v1", stored.version());
        assertEquals(Digests.sha256Hex(trained.bytes()), stored.sha256());
        assertEquals(List.of("models/churn/v1/model.json", "models/churn/v1/model.smile"), store.list("models/"));

        registry.setAlias("churn", "production", "v1");
        assertEquals("v1", registry.resolve("churn", "production"));
        LoadedModel loaded = registry.load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES);
        assertEquals("churn/v1", loaded.id());
        assertEquals(stored.sha256(), loaded.spec().sha256());
        assertEquals(trained.spec().features(), loaded.spec().features());

        var direct = SmileScorer.of(SafeDeserializer.read(trained.bytes(), "direct"), trained.spec());
        for (ObjectNode row : Rows.generate(Task.CLASSIFICATION, 20, 4)) {
            double[] x = loaded.vectorizer().row(row);
            Score a = loaded.scorer().score(x);
            Score b = direct.score(x);
            assertEquals(b.label(), a.label());
            assertArrayEquals(b.probabilities(), a.probabilities());
        }
    }

    @Test
    void aliasMovesToANewVersion() {
        register(trained, "churn", "v1");
        register(trained, "churn", "v2");
        registry.setAlias("churn", "production", "v1");
        registry.setAlias("churn", "production", "v2");
        assertEquals("v2", registry.resolve("churn", "production"));
    }

    @Test
    void corruptBytesAreRefused() {
        register(trained, "churn", "v1");
        byte[] corrupt = trained.bytes().clone();
        corrupt[corrupt.length / 2] ^= 0x5A;
        store.put("models/churn/v1/model.smile", corrupt, Precondition.NONE);
        JobException e = assertModelInvalid(() -> registry.load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES));
        assertTrue(e.getMessage().contains("churn/v1 is corrupt") && e.getMessage().contains("register the model again"), e.getMessage());
    }

    @Test
    void aMissingAliasSaysWhatToDoAboutWhatIsThere() {
        String where = " in " + store.describe();
        assertEquals("no model 'churn'" + where + ": register one with 'predict.jar register --model churn --alias production …'",
            assertModelInvalid(() -> registry.resolve("churn", "production")).getMessage());
        register(trained, "churn", "v1");
        assertEquals("model 'churn' has no alias 'production'" + where + ": point it at a version with 'predict.jar models promote"
            + " churn VERSION --alias production' (its versions: v1)", assertModelInvalid(() -> registry.resolve("churn", "production")).getMessage());
        registry.setAlias("churn", "staging", "v1");
        assertEquals("model 'churn' has no alias 'prodution'" + where + "; its aliases: staging",
            assertModelInvalid(() -> registry.resolve("churn", "prodution")).getMessage());
        assertEquals("no model 'chrun'" + where + "; its models: churn", assertModelInvalid(() -> registry.resolve("chrun", "production")).getMessage());
    }

    @Test
    void missingVersionOrBytesAreModelErrors() {
        assertTrue(assertModelInvalid(() -> registry.load("churn", "v9", 1000)).getMessage().startsWith("no model 'churn' in "));
        register(trained, "churn", "v1");
        assertEquals("model churn has no version 'v9'; its versions: v1",
            assertModelInvalid(() -> registry.load("churn", "v9", 1000)).getMessage(), "the versions there are, as models promote says");
        assertModelInvalid(() -> registry.setAlias("churn", "production", "v9"));
        root.resolve("models/churn/v1/model.smile").toFile().delete();
        assertTrue(assertModelInvalid(() -> registry.load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES)).getMessage().contains("missing"));
    }

    @Test
    void versionsAreImmutable() {
        register(trained, "churn", "v1");
        byte[] other = java.util.Arrays.copyOf(trained.bytes(), trained.bytes().length + 1);
        CheckedModel changed = CheckedModel.of(trained.spec(), other, "other"); // a trailing byte: the same model, other bytes
        JobException e = assertThrows(JobException.class, () -> registry.register(changed, "churn", "v1"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("already exists with other bytes"), e.getMessage());
        assertArrayEquals(trained.bytes(), store.read("models/churn/v1/model.smile", 1 << 24).orElseThrow().bytes());
    }

    @Test
    void registeringTheSameBytesAgainIsANoOp() {
        ModelSpec first = register(trained, "churn", "v1");
        String specEtag = store.read("models/churn/v1/model.json", 1 << 20).orElseThrow().etag();
        ModelSpec again = register(trained, "churn", "v1");
        assertEquals(first.sha256(), again.sha256());
        assertEquals(first.createdAt(), again.createdAt());
        assertEquals(specEtag, store.read("models/churn/v1/model.json", 1 << 20).orElseThrow().etag());
    }

    @Test
    void unsafeNamesAreRefused() {
        for (String bad : List.of("../x", "a/b", ".hidden", "", "x".repeat(101))) {
            assertEquals(ExitCode.USAGE, assertThrows(JobException.class,
                () -> register(trained, bad, "v1"), bad).exitCode());
            assertEquals(ExitCode.USAGE, assertThrows(JobException.class,
                () -> register(trained, "churn", bad), bad).exitCode());
        }
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void anOnnxModelJsonWithoutItsOnnxSectionIsRefusedAtLoad() {
        ModelSpec onnx = new ModelSpec(ModelSpec.SCHEMA_VERSION, null, null, "onnx", "model.onnx", null, 0, Task.CLASSIFICATION, "x",
            trained.spec().features(), "target", List.of("no", "yes"), null, null);
        store.put("models/churn/v1/model.onnx", new byte[] {1, 2, 3}, Precondition.NONE); // planted: register refuses it
        store.put("models/churn/v1/model.json", io.scoreline.core.records.Json.bytes(onnx.withIdentity("churn", "v1",
            Digests.sha256Hex(new byte[] {1, 2, 3}), 3)), Precondition.NONE);
        assertTrue(assertModelInvalid(() -> registry.load("churn", "v1", 1000)).getMessage().contains("model.json lacks its onnx section"));
    }

    @Test
    void anEnsembleLoadsItsStoredTreesWhichScoreAsTheSmileModel() throws Exception {
        var data = TrainingData.prepare(Rows.generate(Task.CLASSIFICATION, 300, 5), "target", List.of(), List.of("id"), Task.CLASSIFICATION);
        Trainer.Trained forest = Trainer.train(data, Task.CLASSIFICATION, Algorithm.RANDOM_FOREST, "target", 20, "generated");
        ModelSpec stored = register(forest, "churn", "v1");
        assertEquals(List.of("models/churn/v1/model.json", "models/churn/v1/model.smile", "models/churn/v1/model.trees"), store.list("models/"));
        byte[] trees = store.read("models/churn/v1/model.trees", 1 << 24).orElseThrow().bytes();
        assertEquals(new ModelSpec.Trees("model.trees", Digests.sha256Hex(trees), trees.length), stored.trees());

        LoadedModel loaded = registry.load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES);
        assertTrue(loaded.scorer().describe().contains("from model.trees"), loaded.scorer().describe());
        var smile = SmileScorer.of(SafeDeserializer.read(forest.bytes(), "direct"), forest.spec());
        for (ObjectNode row : Rows.generate(Task.CLASSIFICATION, 200, 6)) {
            double[] x = loaded.vectorizer().row(row);
            Score a = loaded.scorer().score(x);
            Score b = smile.score(x);
            assertEquals(b.label(), a.label());
            assertArrayEquals(b.probabilities(), a.probabilities(), 0.0);
        }

        byte[] corrupt = trees.clone();
        corrupt[corrupt.length / 2] ^= 0x5A;
        store.put("models/churn/v1/model.trees", corrupt, Precondition.NONE);
        JobException e = assertModelInvalid(() -> registry.load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES));
        assertTrue(e.getMessage().contains("churn/v1 is corrupt: its trees (model.trees) have sha256"), e.getMessage());

        // registered before model.trees existed: model.json without it loads the Smile model, as it always did
        store.put("models/churn/v1/model.json", io.scoreline.core.records.Json.bytes(stored.withTrees(null)), Precondition.NONE);
        LoadedModel old = registry.load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES);
        assertEquals("fast trees (Smile, 20 trees)", old.scorer().describe());
    }
}
