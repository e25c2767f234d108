import com.sun.management.OperatingSystemMXBean;
import io.scoreline.core.store.Stores;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.Score;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * predict.jar's ONNX scorer alone: the model loaded as predict loads it, the rows already vectorized in memory
 * (rows.f64, written by bench/onnx_bench.py), scored through the batch method in chunks of 8192 as predict calls it.
 * Prints: name rows wall_s cpu_s (process CPU time, ONNX Runtime's native threads included).
 * Run: java -cp dist/predict.jar bench/OnnxBatchScoring.java WORK
 */
public class OnnxBatchScoring {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        LoadedModel model = new ModelRegistry(Stores.open(work.resolve("store").toString())).load("churn", "v1",
            ModelRegistry.DEFAULT_MAX_BYTES);
        int k = model.spec().features().size();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(work.resolve("rows.f64"))).order(ByteOrder.LITTLE_ENDIAN);
        double[][] rows = new double[bytes.capacity() / 8 / k][k];
        for (double[] row : rows) for (int j = 0; j < k; j++) row[j] = bytes.getDouble();
        Score[] out = new Score[rows.length];
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long wall = System.nanoTime(), cpu = os.getProcessCpuTime();
        for (int from = 0; from < rows.length; from += 8192) model.scorer().score(rows, from, Math.min(rows.length, from + 8192), out);
        System.out.printf("predict.jar-onnx %d %.3f %.3f%n", rows.length, (System.nanoTime() - wall) / 1e9,
            (os.getProcessCpuTime() - cpu) / 1e9);
    }
}
