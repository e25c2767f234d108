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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile models, black-box through the jars: each is refused by {@code register} before anything is stored and, when
 * planted in the store behind its back, by {@code predict} with one line and exit 5, with nothing published.
 */
class PoisonModelsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /**
     * A hostile variant of the good model: new model.json and model bytes from the good ones. A model.json that breaks
     * its schema is the user's input error at register (exit 2); what only the model bytes reveal is a model problem (5).
     */
    record Poison(String name, UnaryOperator<ObjectNode> spec, UnaryOperator<byte[]> bytes, String says, int registerExit) {
        Poison(String name, UnaryOperator<ObjectNode> spec, UnaryOperator<byte[]> bytes, String says) {
            this(name, spec, bytes, says, 5);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> poisons() {
        return Stream.of(
            new Poison("SerialDOS: hashed sets nested 100 deep", s -> s, b -> payload("serial-dos.ser"), "beyond the size limits"),
            new Poison("a 100M-element array in a 27-byte file", s -> s, b -> payload("huge-array.ser"), "beyond the size limits"),
            new Poison("classes that disagree with the model", s -> s.set("classes", Json.MAPPER.createArrayNode()
                .add("no").add("maybe").add("yes")), b -> b, "lists 3 classes but the model has 2"),
            new Poison("a renamed feature with a default", s -> {
                ((ObjectNode) s.withArray("features").get(0)).put("name", "tenure");
                return s;
            }, b -> b, "the model uses feature 'tenure_months', which model.json does not list"),
            new Poison("fewer features", s -> {
                ArrayNode features = s.withArray("features");
                features.remove(features.size() - 1);
                return s;
            }, b -> b, "the model uses feature 'region', which model.json does not list"),
            new Poison("no task", s -> {
                s.remove("task");
                return s;
            }, b -> b, "task is missing", 2)).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisons")
    void registerRefusesBeforeStoringAnything(Poison poison) throws Exception {
        TestStore store = TestStore.file();
        Path dir = Files.createTempDirectory("scoreline-poison-");
        Path good = Fixtures.model();
        Files.write(dir.resolve("model.json"), Json.MAPPER.writeValueAsBytes(poison.spec().apply(goodSpec())));
        Files.write(dir.resolve("model.smile"), poison.bytes().apply(Files.readAllBytes(good.resolve("model.smile"))));

        var r = Jobs.run(store.env(), "predict", "register", "--model-dir", dir.toString(), "--model", "churn",
            "--model-version", "v1", "--alias", "production");
        assertEquals(poison.registerExit(), r.exit(), r.toString());
        assertOneLine(r, poison.says());
        assertFalse(r.err().contains("null"), "a name or version the model does not have yet: " + r);
        assertEquals(java.util.List.of(), store.list("models/"), "nothing stored");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisons")
    void predictRefusesAPlantedModelAndPublishesNothing(Poison poison) throws Exception {
        TestStore store = TestStore.file();
        Pipeline p = new Pipeline(store);
        Fixtures.appendDocuments(p.source, 0, 20, T0.minusSeconds(60), 3);
        assertEquals(0, p.fetch("run-1", T0).exit());
        byte[] bytes = poison.bytes().apply(Files.readAllBytes(Fixtures.model().resolve("model.smile")));
        ObjectNode spec = poison.spec().apply(goodSpec());
        spec.put("sha256", Digests.sha256Hex(bytes)).put("size", bytes.length);
        try (ObjectStore s = store.open()) { // planted behind register's back
            s.put(Layout.modelDir("churn", "v2") + "model.smile", bytes, Precondition.NONE);
            s.put(Layout.modelSpec("churn", "v2"), Json.MAPPER.writeValueAsBytes(spec), Precondition.NONE);
            s.put(Layout.alias("churn", "production"), "{\"version\":\"v2\"}".getBytes(StandardCharsets.UTF_8), Precondition.NONE);
        }

        var r = p.predict("run-1");
        assertEquals(5, r.exit(), r.toString());
        assertOneLine(r, poison.says());
        assertFalse(store.list("runs/").contains(Layout.predictions(RunId.parse("run-1"))), "no predictions written");
        assertEquals(2, p.publish("run-1").exit(), "nothing to publish");
        assertTrue(store.list("latest/").isEmpty(), "nothing published");
    }

    private static void assertOneLine(Jobs.Result r, String says) {
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(says), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    private static ObjectNode goodSpec() throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(Fixtures.model().resolve("model.json").toFile());
    }

    /** Payloads kept as files (src/test/resources/poison-models), as an attacker would hand them over. */
    private static byte[] payload(String file) {
        try (var in = PoisonModelsTest.class.getResourceAsStream("/poison-models/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
