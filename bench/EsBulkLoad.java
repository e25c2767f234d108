import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Loads an NDJSON file of documents into a fresh Elasticsearch index, fast: bulk requests of 5,000 documents, two in
 * flight, no refresh until the end, automatic _ids (Elasticsearch's append-only fast path).
 *
 *   java bench/EsBulkLoad.java URL INDEX FILE [SHARDS]
 */
public class EsBulkLoad {
    public static void main(String[] args) throws Exception {
        String url = args[0], index = args[1];
        Path file = Path.of(args[2]);
        int shards = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        HttpClient http = HttpClient.newHttpClient();
        send(http, "DELETE", url + "/" + index, null, true);
        send(http, "PUT", url + "/" + index, """
            {"settings":{"number_of_shards":%d,"number_of_replicas":0,"refresh_interval":"-1"},
             "mappings":{"dynamic":false,"properties":{"id":{"type":"keyword"},
                                                       "updated_at":{"type":"date","ignore_malformed":true}}}}"""
            .formatted(shards), false);
        long started = System.nanoTime(), docs = 0;
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder body = new StringBuilder(1 << 21);
            int inBody = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank() || !line.startsWith("{")) continue;
                body.append("{\"index\":{}}\n").append(line).append('\n');
                docs++;
                if (++inBody == 5000) {
                    inFlight.add(bulk(http, url, index, body.toString()));
                    body.setLength(0);
                    inBody = 0;
                    if (inFlight.size() == 2) check(inFlight.removeFirst().join());
                }
            }
            if (inBody > 0) inFlight.add(bulk(http, url, index, body.toString()));
        }
        for (var f : inFlight) check(f.join());
        send(http, "PUT", url + "/" + index + "/_settings", "{\"index\":{\"refresh_interval\":\"1s\"}}", false);
        send(http, "POST", url + "/" + index + "/_refresh", null, false);
        System.out.printf("indexed %d documents into %s in %.1f s%n", docs, index, (System.nanoTime() - started) / 1e9);
    }

    static CompletableFuture<HttpResponse<String>> bulk(HttpClient http, String url, String index, String body) {
        var request = HttpRequest.newBuilder(URI.create(url + "/" + index + "/_bulk?filter_path=errors,items.*.error"))
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<String> response) {
        if (response.statusCode() != 200 || response.body().contains("\"errors\":true")) {
            throw new IllegalStateException("bulk failed: HTTP " + response.statusCode() + " " + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }

    static void send(HttpClient http, String method, String url, String json, boolean ignoreFailure) throws Exception {
        var body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").method(method, body).build(),
            HttpResponse.BodyHandlers.ofString());
        if (!ignoreFailure && response.statusCode() >= 300) throw new IllegalStateException(method + " " + url + ": HTTP " + response.statusCode() + " " + response.body());
    }
}
