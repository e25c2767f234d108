import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads Scoreline's published predictions the safe way (docs/output-contract.md "Reading latest safely"): the
 * manifest (skipped while its ETag is unchanged), then the immutable snapshot it names, checked against its sha256
 * and count. Needs Jackson only; with S3, implement {@link Store} with GetObject and If-None-Match.
 *
 *   java -cp dist/publish.jar docs/examples/ReadLatest.java docs/examples/fixture-store
 */
public class ReadLatest {
    /** One GET: empty when the object still has the ETag given. */
    interface Store {
        Optional<Fetched> get(String key, String ifNoneMatch) throws IOException;
    }

    record Fetched(byte[] bytes, String etag) {}

    /** A file store has no ETags: the content's sha256 serves. */
    record FileStore(Path root) implements Store {
        public Optional<Fetched> get(String key, String ifNoneMatch) throws IOException {
            byte[] bytes = Files.readAllBytes(root.resolve(key));
            String etag = sha256(bytes);
            return etag.equals(ifNoneMatch) ? Optional.empty() : Optional.of(new Fetched(bytes, etag));
        }
    }

    static final class LatestPredictions {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Store store;
        JsonNode manifest;
        Map<String, JsonNode> byId = Map.of();
        private String etag;

        LatestPredictions(Store store) {
            this.store = store;
        }

        /** Reads latest/ if it changed since the last call; returns whether it did. Throws rather than serve a mismatch. */
        boolean refresh() throws IOException {
            Optional<Fetched> fetched = store.get("latest/manifest.json", etag);
            if (fetched.isEmpty()) return false;
            JsonNode m = JSON.readTree(fetched.get().bytes());
            if (m.path("schema_version").asInt() != 1) throw new IOException("schema_version " + m.path("schema_version") + ": this reader knows 1");
            byte[] snapshot = store.get(m.path("snapshot").asText(), null).orElseThrow().bytes(); // immutable
            if (!sha256(snapshot).equals(m.path("sha256").asText())) throw new IOException(m.path("snapshot").asText() + " does not match the manifest's sha256");
            Map<String, JsonNode> records = new LinkedHashMap<>();
            try (var lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(snapshot)), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    JsonNode r = JSON.readTree(line);
                    records.put(r.path("id").asText(), r);
                }
            }
            if (records.size() != m.path("count").asLong()) throw new IOException(records.size() + " records, the manifest says " + m.path("count"));
            manifest = m;
            byId = records;
            etag = fetched.get().etag();
            return true;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        var latest = new LatestPredictions(new FileStore(Path.of(args[0])));
        try {
            latest.refresh();
        } catch (NoSuchFileException e) {
            System.err.println("nothing published in " + args[0] + " yet");
            System.exit(1);
        }
        JsonNode m = latest.manifest;
        System.out.println("run " + m.path("run_id").asText() + ": " + latest.byId.size() + " predictions by " + m.path("model").asText()
            + "/" + m.path("model_version").asText() + ", published " + m.path("published_at").asText()
            + (m.path("stale").asBoolean() ? ", STALE: " + m.path("stale_reason").asText() : "")
            + (latest.refresh() ? "" : "; polled again: unchanged"));
    }
}
