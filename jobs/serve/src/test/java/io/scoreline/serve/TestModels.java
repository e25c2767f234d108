package io.scoreline.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.CheckedModel;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.predict.train.Algorithm;
import io.scoreline.predict.train.Trainer;
import io.scoreline.predict.train.TrainingData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The test model, trained and registered as predict does it, and a slow twin of it for the deadline tests. */
public final class TestModels {
    private TestModels() {}

    /** A small random forest on x1, x2, region and a request feature user_age; registered as churn/v1, alias production. */
    public static void register(ObjectStore store) {
        register(store, "v1", 7);
        new ModelRegistry(store).setAlias("churn", "production", "v1");
    }

    /** The same kind of forest trained on other random rows (another seed): another version with other scores; no alias moved. */
    static void register(ObjectStore store, String version, long seed) {
        Random random = new Random(seed);
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double x1 = random.nextDouble() * 10;
            int age = 18 + random.nextInt(60);
            ObjectNode row = Json.MAPPER.createObjectNode().put("x1", x1).put("x2", random.nextInt(7))
                .put("region", random.nextBoolean() ? "north" : "south").put("user_age", age);
            row.put("churned", x1 + age / 10.0 + random.nextGaussian() > 9 ? "yes" : "no");
            rows.add(row);
        }
        var prepared = TrainingData.prepare(rows, "churned", List.of(), Set.of(), Task.CLASSIFICATION);
        var trained = Trainer.train(prepared, Task.CLASSIFICATION, Algorithm.RANDOM_FOREST, "churned", 20, "test");
        new ModelRegistry(store).register(CheckedModel.of(trained.spec(), trained.bytes(), "model"), "churn", version);
    }

    public static LoadedModel load(ObjectStore store) {
        return new ModelRegistry(store).load("churn", "v1", ModelRegistry.DEFAULT_MAX_BYTES);
    }

    /** The same model, answering only after {@code millis}: the deadline tests' slow model. */
    static LoadedModel slow(LoadedModel model, long millis) {
        Scorer real = model.scorer();
        return new LoadedModel(model.spec(), new Scorer() {
            @Override
            public Score score(double[] row) {
                sleep();
                return real.score(row);
            }

            @Override
            public void score(double[][] rows, int from, int to, Score[] out) {
                sleep();
                real.score(rows, from, to, out);
            }

            private void sleep() {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
        });
    }
}
