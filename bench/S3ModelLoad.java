import io.scoreline.core.cli.EnvDefaults;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.model.ModelRegistry;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Model-load time: ModelRegistry.load (model.json, the bytes read into memory, sha256 check, restricted
 * deserialization) from a store opened the way the jobs open it (--store plus the SCORELINE_S3_* variables).
 * The first load in a fresh JVM is reported apart from the median of the loads after it.
 * Run: java -cp dist/predict.jar bench/S3ModelLoad.java STORE MODEL VERSION [LOADS]
 */
public class S3ModelLoad {
    public static void main(String[] args) {
        var options = new StoreOptions();
        new CommandLine(options).setDefaultValueProvider(new EnvDefaults(System.getenv())).parseArgs("--store", args[0]);
        int loads = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        double[] ms = new double[loads + 1];
        long bytes = 0;
        try (var store = options.open()) {
            var registry = new ModelRegistry(store);
            for (int i = 0; i <= loads; i++) {
                long start = System.nanoTime();
                bytes = registry.load(args[1], args[2], ModelRegistry.DEFAULT_MAX_BYTES).spec().size();
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        double first = ms[0];
        Arrays.sort(ms, 1, ms.length);
        double median = loads % 2 == 1 ? ms[(loads + 1) / 2] : (ms[loads / 2] + ms[loads / 2 + 1]) / 2;
        System.out.printf(Locale.ROOT, "bytes=%d first_ms=%.0f median_ms=%.0f loads=%d%n", bytes, first, median, loads);
    }
}
