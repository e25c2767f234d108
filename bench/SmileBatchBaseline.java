import io.scoreline.core.records.Document;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonReader;
import io.scoreline.core.store.Stores;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.Vectorizer;
import java.util.ArrayList;
import java.util.List;
import smile.classification.DataFrameClassifier;
import smile.data.DataFrame;

/**
 * The baseline predict is compared with: Smile's own batch predict (DataFrameClassifier.predict(DataFrame, posteriori))
 * on exactly the rows of a run's input, already parsed and in memory, so only the model's work is timed.
 * Run: java -cp dist/predict.jar bench/SmileBatchBaseline.java STORE RUN MODEL VERSION
 */
public class SmileBatchBaseline {
    public static void main(String[] args) throws Exception {
        var store = Stores.open(args[0]);
        LoadedModel model = new ModelRegistry(store).load(args[2], args[3], ModelRegistry.DEFAULT_MAX_BYTES);
        Vectorizer vectorizer = model.vectorizer();
        List<double[]> rows = new ArrayList<>();
        try (var in = new NdjsonReader(store, "runs/" + args[1] + "/input.ndjson.gz")) {
            String line;
            while ((line = in.next()) != null) {
                try {
                    rows.add(vectorizer.row(Json.MAPPER.readValue(line, Document.class).features()));
                } catch (Vectorizer.InvalidFeature e) {
                    // predict rejects these too
                }
            }
        }
        String[] names = model.spec().features().stream().map(f -> f.name()).toArray(String[]::new);
        DataFrame frame = DataFrame.of(rows.toArray(double[][]::new), names);
        Object smile = smileModel(args, store);
        long start = System.nanoTime();
        List<double[]> posteriori = new ArrayList<>();
        int[] labels = ((DataFrameClassifier) smile).predict(frame, posteriori);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "smile_batch_predict rows=%d seconds=%.3f rows_per_second=%.0f%n",
            labels.length, seconds, labels.length / seconds);
    }

    private static Object smileModel(String[] args, io.scoreline.core.store.ObjectStore store) throws Exception {
        var spec = io.scoreline.core.run.StoredJson.value(store, "models/" + args[2] + "/" + args[3] + "/model.json",
            io.scoreline.model.ModelSpec.class).orElseThrow();
        byte[] bytes = store.read("models/" + args[2] + "/" + args[3] + "/" + spec.file(), Long.MAX_VALUE).orElseThrow().bytes();
        return io.scoreline.model.SafeDeserializer.read(bytes, "model");
    }
}
