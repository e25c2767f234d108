import io.scoreline.core.store.Stores;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.Score;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * bench/trees.sh's Java side: a model registered by the scoreline package, loaded as predict loads it (so an ONNX tree
 * ensemble gets the flattened trees), scores the rows of WORK/rows.f64 (already vectorized, in memory) the way predict's
 * BatchScoring calls it: chunks of 8192 rows, each cut in slices of 512 scored in parallel on a pool of every core.
 * After a 2 s warm-up, one timed pass; prints one "result" line (wall, and the process's CPU time).
 * Run: java -cp dist/predict.jar bench/TreeBench.java WORK MODEL
 */
public class TreeBench {
    private static final int CHUNK = 8192;
    private static final int SLICE = 512;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        LoadedModel model = new ModelRegistry(Stores.open(work.resolve("store").toString())).load(args[1], "v1",
            ModelRegistry.DEFAULT_MAX_BYTES);
        int k = model.spec().features().size();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(work.resolve("rows.f64"))).order(ByteOrder.LITTLE_ENDIAN);
        double[][] rows = new double[bytes.capacity() / 8 / k][k];
        for (double[] row : rows) for (int j = 0; j < k; j++) row[j] = bytes.getDouble();
        int cores = Runtime.getRuntime().availableProcessors();
        System.err.println(args[1] + ": " + model.scorer().describe());
        try (ForkJoinPool pool = new ForkJoinPool(cores)) {
            double[][] warm = java.util.Arrays.copyOf(rows, Math.min(rows.length, 100_000));
            long end = System.nanoTime() + 2_000_000_000L;
            do score(model, warm, pool); while (System.nanoTime() < end);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.gc();
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            score(model, rows, pool);
            double wall = (System.nanoTime() - t0) / 1e9, cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            String what = model.scorer().describe().startsWith("fast trees") ? "predict-fast-trees" : "predict-onnx-runtime";
            System.out.printf(Locale.ROOT, "result scorer=%s rows=%d wall_s=%.3f cpu_s=%.3f us_per_row=%.3f cpu_us_per_row=%.3f%n",
                what, rows.length, wall, cpu, wall * 1e6 / rows.length, cpu * 1e6 / rows.length);
        }
    }

    private static void score(LoadedModel model, double[][] rows, ForkJoinPool pool) throws Exception {
        Score[] out = new Score[rows.length];
        for (int from = 0; from < rows.length; from += CHUNK) {
            int start = from, to = Math.min(rows.length, from + CHUNK), slices = (to - start + SLICE - 1) / SLICE;
            pool.submit(() -> IntStream.range(0, slices).parallel().forEach(s ->
                model.scorer().score(rows, start + s * SLICE, Math.min(to, start + (s + 1) * SLICE), out))).get();
        }
    }
}
