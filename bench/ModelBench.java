import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.Stores;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec;
import io.scoreline.model.SafeDeserializer;
import io.scoreline.model.Score;
import io.scoreline.model.Scorer;
import io.scoreline.model.SmileScorer;
import io.scoreline.model.Vectorizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import smile.base.cart.CART;
import smile.classification.DataFrameClassifier;
import smile.data.DataFrame;
import smile.regression.DataFrameRegression;

/**
 * The model-scoring benchmark's Java side (bench/models.sh). Run with java -cp dist/predict.jar bench/ModelBench.java:
 *   export STORE RUN MODEL VERSION ROWS.f64   vectorizes a run's input as predict does, rows as little-endian float64
 *   score STORE MODEL VERSION ROWS.f64 WHAT   times one scorer on every row, on every core (after a warm-up):
 *        fast (predict's scorer, flattened trees, batch method), smile-row (Smile per row: SmileScorer),
 *        smile-batch (Smile's own DataFrame predict); prints one "result ..." line
 *   check STORE MODEL VERSION ROWS.f64        counts rows where the fast scorer and Smile's differ (should be 0)
 */
public class ModelBench {
    private static final int SLICE = 512;

    public static void main(String[] args) throws Exception {
        ObjectStore store = Stores.open(args[1]);
        switch (args[0]) {
            case "export" -> export(store, args[2], args[3], args[4], Path.of(args[5]));
            case "score" -> score(store, args[2], args[3], Path.of(args[4]), args[5]);
            case "check" -> check(store, args[2], args[3], Path.of(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void export(ObjectStore store, String run, String name, String version, Path out) throws Exception {
        Vectorizer vectorizer = new ModelRegistry(store).load(name, version, ModelRegistry.DEFAULT_MAX_BYTES).vectorizer();
        long rows = 0;
        try (var in = new NdjsonReader(store, "runs/" + run + "/input.ndjson.gz");
             var w = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out), 1 << 20))) {
            for (String line; (line = in.next()) != null; ) {
                double[] row;
                try {
                    row = vectorizer.row(Json.MAPPER.readValue(line, Document.class).features());
                } catch (Vectorizer.InvalidFeature e) {
                    continue; // predict rejects these too
                }
                for (double v : row) w.writeLong(Long.reverseBytes(Double.doubleToRawLongBits(v)));
                rows++;
            }
        }
        System.out.println("exported rows=" + rows);
    }

    static void score(ObjectStore store, String name, String version, Path file, String what) throws Exception {
        LoadedModel model = new ModelRegistry(store).load(name, version, ModelRegistry.DEFAULT_MAX_BYTES);
        double[][] rows = read(file, model.spec().features().size());
        Object smile = smile(store, model.spec());
        int cores = Runtime.getRuntime().availableProcessors();
        java.util.function.Function<double[][], Runnable> prepare = switch (what) {
            case "fast" -> x -> () -> onAllCores(model.scorer(), x);
            case "smile-row" -> x -> () -> onAllCores(SmileScorer.of(smile, model.spec()), x);
            case "smile-batch" -> x -> {
                // the frame is built outside the timed part, as the old pipeline baseline did
                DataFrame frame = DataFrame.of(x, model.spec().features().stream().map(ModelSpec.Feature::name).toArray(String[]::new));
                return () -> {
                    if (smile instanceof DataFrameClassifier c) c.predict(frame, new ArrayList<>());
                    else ((DataFrameRegression) smile).predict(frame);
                };
            };
            default -> throw new IllegalArgumentException(what);
        };
        if (what.equals("fast")) System.err.println("trees: " + trees(smile));
        // warm-up (JIT) on the first 100,000 rows for at least 2 s, then one timed pass over all of them
        Runnable warm = prepare.apply(java.util.Arrays.copyOf(rows, Math.min(rows.length, 100_000)));
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        do warm.run(); while (System.nanoTime() < warmEnd);
        Runnable job = prepare.apply(rows);
        System.gc();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        job.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "result scorer=%s rows=%d cores=%d wall_s=%.3f cpu_s=%.3f us_per_row=%.3f cpu_us_per_row=%.3f%n",
            what, rows.length, cores, wall, cpu, wall * 1e6 / rows.length, cpu * 1e6 / rows.length);
    }

    static void check(ObjectStore store, String name, String version, Path file) throws Exception {
        LoadedModel model = new ModelRegistry(store).load(name, version, ModelRegistry.DEFAULT_MAX_BYTES);
        double[][] rows = read(file, model.spec().features().size());
        Score[] fast = onAllCores(model.scorer(), rows);
        Score[] smile = onAllCores(SmileScorer.of(smile(store, model.spec()), model.spec()), rows);
        long differ = IntStream.range(0, rows.length).filter(i -> Double.compare(fast[i].value(), smile[i].value()) != 0
            || !java.util.Objects.equals(fast[i].label(), smile[i].label())
            || !java.util.Arrays.equals(fast[i].probabilities(), smile[i].probabilities())).count();
        System.out.println("check rows=" + rows.length + " differing=" + differ + " scorer=" + model.scorer().getClass().getSimpleName());
    }

    /** Scores in slices on every core through the batch method, as predict's BatchScoring does. */
    static Score[] onAllCores(Scorer scorer, double[][] rows) {
        Score[] out = new Score[rows.length];
        int slices = (rows.length + SLICE - 1) / SLICE;
        IntStream.range(0, slices).parallel().forEach(s -> scorer.score(rows, s * SLICE, Math.min(rows.length, (s + 1) * SLICE), out));
        return out;
    }

    static double[][] read(Path file, int features) throws Exception {
        long rows = Files.size(file) / 8 / features;
        double[][] x = new double[(int) rows][features];
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            for (double[] row : x) for (int j = 0; j < features; j++) row[j] = Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
        }
        return x;
    }

    static Object smile(ObjectStore store, ModelSpec spec) {
        byte[] bytes = store.read("models/" + spec.name() + "/" + spec.version() + "/" + spec.file(), Long.MAX_VALUE).orElseThrow().bytes();
        return SafeDeserializer.read(bytes, "model");
    }

    /** Trees, mean nodes and leaves per tree, and the deepest tree, to size scikit-learn's forest alike. */
    static String trees(Object smile) throws Exception {
        Object all = smile.getClass().getMethod("trees").invoke(smile);
        CART[] trees = all instanceof CART[] c ? c
            : java.util.Arrays.stream((Object[]) all).flatMap(a -> java.util.Arrays.stream((CART[]) a)).toArray(CART[]::new);
        double leaves = java.util.Arrays.stream(trees).mapToInt(t -> t.root().leaves()).average().orElse(0);
        int depth = java.util.Arrays.stream(trees).mapToInt(t -> t.root().depth()).max().orElse(0);
        double meanDepth = java.util.Arrays.stream(trees).mapToInt(t -> t.root().depth()).average().orElse(0);
        return String.format(Locale.ROOT, "count=%d mean_leaves=%.1f max_depth=%d mean_depth=%.1f", trees.length, leaves, depth, meanDepth);
    }
}
