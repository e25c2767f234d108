package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.run.Progress;
import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.spill.LineSpool;
import io.scoreline.core.spill.TempFiles;
import io.scoreline.core.store.FileStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.SafeDeserializer;
import io.scoreline.model.SmileScorer;
import io.scoreline.predict.train.Algorithm;
import io.scoreline.predict.train.Rows;
import io.scoreline.predict.train.Trainer;
import io.scoreline.predict.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole scoring path with the flattened tree scorer writes byte for byte what it writes with Smile's own scorer
 * (the reference): the same predictions in the same order and the same rejects, over more than one chunk.
 */
class BatchScoringParityTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");
    private static final int DOCUMENTS = 10_000;
    @TempDir Path root;

    @ParameterizedTest(name = "{0} {1}")
    // one classifier (labels and probabilities) and one regressor; TreeEnsemblesTest covers every family
    @CsvSource({"RANDOM_FOREST, CLASSIFICATION", "GRADIENT_BOOSTING, REGRESSION"})
    void fastAndSmileWriteTheSameOutput(Algorithm algorithm, Task task) throws Exception {
        var data = TrainingData.prepare(Rows.generate(task, 400, 3), "target", List.of(), List.of("id"), task);
        Trainer.Trained trained = Trainer.train(data, task, algorithm, "target", 30, "generated");
        var fast = new LoadedModel(trained.spec(), ModelRegistry.inspect(trained.spec(), trained.bytes(), "fast"));
        var smile = new LoadedModel(trained.spec(), SmileScorer.of(SafeDeserializer.read(trained.bytes(), "smile"), trained.spec()));
        assertNotEquals(smile.scorer().getClass(), fast.scorer().getClass(), "the registry's loader flattens the trees");

        FileStore store = new FileStore(root);
        NdjsonWriter.write(store, "input.ndjson.gz", w -> documents(task).forEach(w::writeRaw));
        List<String> smileOut;
        List<String> fastOut;
        try (ForkJoinPool pool = new ForkJoinPool(2); TempFiles temp = new TempFiles(Files.createDirectories(root.resolve("tmp")))) {
            var smileRejects = new LineSpool(temp, "smile");
            var reference = new BatchScoring(smile, pool, new Progress("scored", -1, Progress.OFF, System::nanoTime, line -> {}), smileRejects);
            reference.run(store, "input.ndjson.gz", "smile.ndjson.gz");
            var fastRejects = new LineSpool(temp, "fast");
            var scoring = new BatchScoring(fast, pool, new Progress("scored", -1, Progress.OFF, System::nanoTime, line -> {}), fastRejects);
            scoring.run(store, "input.ndjson.gz", "fast.ndjson.gz");
            NdjsonWriter.write(store, "smile-rejected.ndjson.gz", smileRejects::writeTo);
            NdjsonWriter.write(store, "fast-rejected.ndjson.gz", fastRejects::writeTo);
            assertEquals(lines(store, "smile-rejected.ndjson.gz"), lines(store, "fast-rejected.ndjson.gz"));
            assertEquals(DOCUMENTS, scoring.read());
            assertTrue(fastRejects.count() > 50, "edge documents are rejected: " + fastRejects.count());
            smileOut = lines(store, "smile.ndjson.gz");
            fastOut = lines(store, "fast.ndjson.gz");
        }
        for (int i = 0; i < smileOut.size(); i++) assertEquals(smileOut.get(i), fastOut.get(i), "line " + i);
        assertEquals(smileOut.size(), fastOut.size());
    }

    /** Generated documents; some with an unknown color, a missing or non-numeric feature, or a value exactly 0. */
    private static List<String> documents(Task task) {
        Random random = new Random(9);
        List<String> docs = new ArrayList<>();
        int i = 0;
        for (ObjectNode row : Rows.generate(task, DOCUMENTS, 4)) {
            String id = String.format("d%06d", i++);
            row.remove(List.of("id", "target"));
            switch (random.nextInt(40)) {
                case 0 -> row.put("color", "purple");
                case 1 -> row.remove("x2");
                case 2 -> row.put("x1", "abc");
                case 3 -> row.put("x1", 0.0);
                default -> { }
            }
            docs.add(Json.MAPPER.valueToTree(new Document(id, T, row)).toString());
        }
        return docs;
    }

    private static List<String> lines(FileStore store, String key) {
        List<String> out = new ArrayList<>();
        try (NdjsonReader reader = new NdjsonReader(store, key)) {
            for (String line; (line = reader.next()) != null; ) out.add(line);
        }
        return out;
    }
}
