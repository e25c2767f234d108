package io.scoreline.predict.train;

import io.scoreline.core.error.JobException;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.ModelSpec.Task;
import io.scoreline.model.SafeDeserializer;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.SmileScorer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains on four rows in five and measures on the fifth, scoring through the same path predict uses after a
 * round trip through the restricted deserializer, so a model that trains here is known to load and score.
 */
public final class Trainer {
    public record Trained(ModelSpec spec, byte[] bytes, String metric, double holdout) {}

    private Trainer() {}

    public static Trained train(TrainingData.Prepared data, Task task, Algorithm algorithm, String target, int trees, String source) {
        if (!algorithm.supports(task)) {
            throw JobException.usage(algorithm.label() + " does not do " + task.name().toLowerCase(java.util.Locale.ROOT)
                + "; use random-forest or gradient-boosting" + (task == Task.REGRESSION ? "" : " or logistic-regression"));
        }
        int n = data.x().length;
        boolean[] holdout = new boolean[n];
        for (int i = 0; i < n; i++) holdout[i] = n >= 50 && i % 5 == 0;
        double[][] trainX = select(data.x(), holdout, false);
        double[] trainY = selectY(data.y(), holdout, false);
        List<String> names = data.features().stream().map(ModelSpec.Feature::name).toList();
        Serializable model;
        try {
            model = algorithm.fit(task, names, target, trainX, trainY, trees);
        } catch (RuntimeException e) {
            throw JobException.usage("training failed: " + e.getMessage());
        }
        byte[] bytes = serialize(model);

        Map<String, Object> training = new LinkedHashMap<>();
        ModelSpec spec = new ModelSpec(ModelSpec.SCHEMA_VERSION, null, null, ModelSpec.SMILE, "model.smile", null, bytes.length,
            task, algorithm.label(), data.features(), target, data.classes(), Instant.now(), training);
        Scorer scorer = SmileScorer.of(SafeDeserializer.read(bytes, "the trained model"), spec);
        String metric = task == Task.CLASSIFICATION ? "holdout_accuracy" : "holdout_rmse";
        double value = evaluate(scorer, task, select(data.x(), holdout, true), selectY(data.y(), holdout, true));
        training.put("source", source);
        training.put("rows", n);
        training.put("rows_skipped", data.skipped());
        training.put("train_rows", trainX.length);
        if (algorithm != Algorithm.LOGISTIC_REGRESSION) training.put("trees", trees);
        if (!Double.isNaN(value)) training.put(metric, value);
        training.put("smile_version", SMILE_VERSION);
        return new Trained(spec, bytes, metric, value);
    }

    /** Read from a Maven-filtered resource: in the fat jar, Smile's own manifest is replaced by ours. */
    private static final String SMILE_VERSION = smileVersion();

    private static String smileVersion() {
        var p = new java.util.Properties();
        try (var in = Trainer.class.getResourceAsStream("smile.properties")) {
            if (in != null) p.load(in);
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    private static double evaluate(Scorer scorer, Task task, double[][] x, double[] y) {
        if (x.length == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            Score s = scorer.score(x[i]);
            sum += task == Task.CLASSIFICATION ? (s.value() == y[i] ? 1 : 0) : (s.value() - y[i]) * (s.value() - y[i]);
        }
        return task == Task.CLASSIFICATION ? sum / x.length : Math.sqrt(sum / x.length);
    }

    private static double[][] select(double[][] x, boolean[] holdout, boolean want) {
        return java.util.stream.IntStream.range(0, x.length).filter(i -> holdout[i] == want).mapToObj(i -> x[i]).toArray(double[][]::new);
    }

    private static double[] selectY(double[] y, boolean[] holdout, boolean want) {
        return java.util.stream.IntStream.range(0, y.length).filter(i -> holdout[i] == want).mapToDouble(i -> y[i]).toArray();
    }

    private static byte[] serialize(Serializable model) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

}
