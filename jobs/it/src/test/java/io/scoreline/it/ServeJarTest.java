package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.testkit.ItServers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * serve.jar as a user starts it, against the real Elasticsearch, Redis and S3 (or file) store: it ranks the pool with
 * the same numbers the batch pipeline (fetch.jar, predict.jar, publish.jar) published for the same documents.
 */
class ServeJarTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int DOCUMENTS = 30;

    @Test
    void ranksAndPredictsWithTheBatchPipelinesNumbers() throws Exception {
        String redis = ItServers.redis();
        TestStore store = TestStore.s3();
        try (EsIndex index = EsIndex.create(EsServer.es9())) {
            index.index(Fixtures.documents(0, DOCUMENTS, Instant.now().minus(Duration.ofHours(1)), 7), true);
            var pipeline = new Pipeline(store, index.sourceOptions());
            pipeline.cycle("serve-it-1", Instant.now().plus(Duration.ofMinutes(1)));
            Map<String, JsonNode> batch = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
            assertEquals(DOCUMENTS, batch.size());
            String positive = Fixtures.json(store, Layout.modelSpec("churn", "v1")).get("classes").get(1).asText();

            Path pools = Files.createTempDirectory("serve-it-").resolve("pools.json");
            Files.writeString(pools, "{\"pools\": [{\"name\": \"customers\", \"index\": \"" + index.name + "\"}]}");
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var env = Jobs.env(store.env(), "SCORELINE_ES_URL", index.url, "SCORELINE_SERVE_PORT", Integer.toString(port));
            // a generous deadline: this test compares numbers; the deadline itself is ServeTest's
            Process serve = Jobs.start(env, "serve", "--pools", pools.toString(), "--model", "churn", "--redis-url", redis,
                "--cache-prefix", "serve-it-" + System.nanoTime() + ":", "--deadline", "5s", "--host", "127.0.0.1",
                "--log-data-stream", "scoreline-requests-serve-it");
            try {
                awaitReady(port, serve);
                var ranked = post(port, "/v1/pools/customers/rank", "{\"key\": \"user-1\", \"top_k\": " + DOCUMENTS + "}");
                assertEquals(200, ranked.statusCode(), ranked.body());
                JsonNode answer = Json.MAPPER.readTree(ranked.body());
                assertEquals("model", answer.get("source").asText(), answer.toString());
                assertEquals("v1", answer.get("model_version").asText());
                assertEquals(DOCUMENTS, answer.get("items").size());
                for (JsonNode item : answer.get("items")) {
                    JsonNode published = batch.get(item.get("id").asText());
                    assertEquals(published.get("probabilities").get(positive).asDouble(), item.get("score").asDouble(), 0.0,
                        "online and batch scores of " + item.get("id"));
                }
                String row = Fixtures.documents(4, 1, Instant.now(), 7).strip();
                var predicted = post(port, "/v1/models/churn/predict", "{\"rows\": [" + row + "]}");
                JsonNode prediction = Json.MAPPER.readTree(predicted.body()).get("predictions").get(0);
                assertEquals(batch.get("cust-00004").get("prediction"), prediction.get("prediction"), predicted.body());
                assertEquals(batch.get("cust-00004").get("probabilities"), prediction.get("probabilities"));

                var bad = post(port, "/v1/pools/customers/rank", "{\"key\": 7}");
                assertEquals(400, bad.statusCode());
                assertTrue(bad.body().contains("\"error\":\"key must be a non-empty string"), bad.body());
                assertMetricsAndRequestLog(port);
            } finally {
                serve.toHandle().destroy();  // SIGTERM, leaving its stderr open to be read (Process.destroy closes it)
                assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve.jar stops on SIGTERM");
            }
            // stderr is the log, nothing else: no line printed by a library outside it, no stack trace; the stop is logged
            String err = new String(serve.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(java.util.List.of(), err.lines().filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).toList(), err);
            assertTrue(err.contains("INFO ServeCommand - stopped"), err);
        }
    }

    @Test
    void startUpErrorsAreOneLineWithTheirExitCode() throws Exception {
        TestStore store = TestStore.file();
        var missing = Jobs.run(store.env(), "serve", "--pools", "/nonexistent/pools.json", "--es-url", "http://127.0.0.1:9");
        assertEquals(2, missing.exit(), missing.toString());
        assertEquals(java.util.List.of("serve: error: --pools file /nonexistent/pools.json does not exist"), missing.errLines());

        Path pools = Files.createTempDirectory("serve-it-").resolve("pools.json");
        Files.writeString(pools, "{\"pools\": [{\"name\": \"p\", \"index\": \"i\"}]}");
        var noModel = Jobs.run(store.env(), "serve", "--pools", pools.toString(), "--es-url", "http://127.0.0.1:9", "--model", "nope",
            "--port", "0");
        assertEquals(5, noModel.exit(), noModel.toString());
        assertTrue(noModel.errLines().getLast().startsWith("serve: error: "), noModel.toString());

        var noStore = Jobs.run(Map.of("SCORELINE_STORE", "/nonexistent/store"), "serve", "--pools", pools.toString(), "--es-url",
            "http://127.0.0.1:9", "--port", "0");
        assertEquals(2, noStore.exit(), noStore.toString());
        assertTrue(noStore.errLines().getFirst().startsWith("serve: error: store file:///nonexistent/store does not exist: check --store"), noStore.toString());
        assertEquals(1, noStore.errLines().size(), noStore.toString());

        // --verbose logs every setting and where it came from; a secret only as set (it logged nothing: its level came too late)
        String password = "serve-it-pw-" + System.nanoTime();
        var verbose = Jobs.run(Map.of("SCORELINE_STORE", "/nonexistent/store"), "serve", "--pools", pools.toString(), "--es-url",
            "http://127.0.0.1:9", "--port", "0", "--redis-url", "redis://127.0.0.1:9", "--redis-password", password, "--verbose");
        assertEquals(2, verbose.exit(), verbose.toString());
        assertTrue(verbose.err().contains("DEBUG JobRunner - settings: ") && verbose.err().contains("--redis-password=(set) (flag)"),
            verbose.toString());
        assertTrue(!verbose.err().contains(password) && !verbose.out().contains(password), verbose.toString());

        // the port checked before anything starts: one line and exit 2, not a stack trace and a service without a port
        try (var taken = new ServerSocket(0)) {
            var inUse = Jobs.run(store.env(), "serve", "--pools", pools.toString(), "--es-url", "http://127.0.0.1:9", "--host", "127.0.0.1",
                "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(2, inUse.exit(), inUse.toString());
            assertEquals(java.util.List.of("serve: error: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                + ": Address already in use; choose another --port (or --host)"), inUse.errLines());
            assertTrue(!inUse.err().contains("\tat "), inUse.toString());
        }
    }

    /** The jar's /metrics and its request log (Micrometer and the Elasticsearch client as shaded into it); ObservabilityTest has the rest. */
    private static void assertMetricsAndRequestLog(int port) throws Exception {
        long started = System.nanoTime(), until = started + Duration.ofSeconds(20).toNanos();
        String metrics;
        do {
            metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.contains("scoreline_request_log_sent_total 3.0")) break;
            Thread.sleep(200);
        } while (System.nanoTime() < until);
        assertTrue(metrics.contains("scoreline_requests_total{endpoint=\"rank\",source=\"model\",status=\"200\"} 1.0"), metrics);
        assertTrue(metrics.contains("scoreline_model_info{model=\"churn\",version=\"v1\"} 1"), metrics);
        assertTrue(metrics.contains("scoreline_request_log_sent_total 3.0"), "rank, predict and the refused rank are logged:\n" + metrics);
        System.out.printf("serve.jar: /metrics and the request log checked in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(int port, Process serve) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            if (!serve.isAlive()) throw new AssertionError("serve.jar exited: " + new String(serve.getErrorStream().readAllBytes()));
            try {
                var ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) return;
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve.jar was not ready within 90 s");
    }
}
