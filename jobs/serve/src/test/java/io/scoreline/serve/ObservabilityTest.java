package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.ExitCodeTable;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.FileStore;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.health.Alerts;
import io.scoreline.serve.logs.RequestLog;
import io.scoreline.serve.metrics.ServeMetrics;
import io.scoreline.serve.observe.Exchange;
import io.scoreline.serve.observe.Observability;
import io.scoreline.serve.pool.PoolSpec;
import io.scoreline.serve.pool.Pools;
import io.scoreline.source.es.EsClients;
import io.scoreline.source.es.EsSettings;
import io.scoreline.testkit.ItServers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What serve shows about itself, in-process against the real shared Elasticsearch and Redis: the request log read back
 * from its data stream, every metric in /metrics, requests unaffected while the log's Elasticsearch hangs or is gone (a
 * {@link TcpProxy} in front of the shared server stands for it), and a failing pool refresh alerting once.
 */
class ObservabilityTest {
    /** One data stream for every run: the test servers have no data stream API to delete one; runs tell theirs apart by key. */
    private static final String DATA_STREAM = "scoreline-requests-serve-test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int ITEMS = 12;
    private static final int MODEL_MILLIS = 40;
    private static String esUrl, redisUrl;
    private static TestIndex index;
    private static ObjectStore store;
    private static LoadedModel model;

    @BeforeAll
    static void setUp() throws Exception {
        esUrl = ItServers.elasticsearch9();
        redisUrl = ItServers.redis();
        index = TestIndex.withItems(esUrl, ITEMS, 1.5);
        store = new FileStore(Files.createTempDirectory("serve-obs-"));
        TestModels.register(store);
        model = TestModels.load(store);
    }

    @AfterAll
    static void tearDown() {
        if (index != null) index.drop();
    }

    private static EsSettings es(String url, Duration timeout) {
        return TestServices.es(url, timeout);
    }

    private static RequestLog requestLog(String url, int queue) {
        var settings = new RequestLog.Settings(DATA_STREAM, 1, queue, 500, Duration.ofMillis(100), 5000);
        return new RequestLog(settings, EsClients.rest(es(url, Duration.ofSeconds(1)), 2), "serve-test-host");
    }

    /** A service whose pool is read from {@code poolUrl}, refreshed every 200 ms; default deadline 5 s (the machine is busy). */
    private static Service start(String poolUrl, Observability observability, AnswerCache cache) {
        return start(poolUrl, observability, cache, model);
    }

    private static Service start(String poolUrl, Observability observability, AnswerCache cache, LoadedModel model) {
        var pool = new PoolSpec("items", index.name(), null, "id", "updated_at", List.of("x1", "x2", "region"));
        var pools = new Pools(List.of(pool), es(poolUrl, Duration.ofSeconds(5)),
            new Pools.Refresh(Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMinutes(5)), Clock.systemUTC());
        var settings = new Service.Settings("127.0.0.1", 0, Duration.ofSeconds(5), 2, 64, 1 << 20, Duration.ofSeconds(30));
        var service = new Service(settings, pools, store, cache, observability).start();
        service.load(() -> model);
        return service;
    }

    private static HttpResponse<String> send(Service service, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path));
        if (body != null) request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(Service service, String path, String body) throws Exception {
        var response = send(service, path, body);
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void requestsReachTheDataStreamWithTheirFieldsAndMetricsShowEveryMeter() throws Exception {
        String run = "obs-" + System.nanoTime();
        var observability = new Observability(new ServeMetrics(), requestLog(esUrl, 1000), new Alerts(null), Clock.systemUTC());
        var cache = new AnswerCache(AnswerCache.uri(redisUrl, null, null), Duration.ofMinutes(1), run + ":");
        // a model slower than one request's deadline, so that request falls back whatever the machine's speed
        try (Service service = start(esUrl, observability, cache, TestModels.slow(model, MODEL_MILLIS))) {
            JsonNode ranked = ok(service, "/v1/pools/items/rank", "{\"key\":\"" + run + "-rank\",\"features\":{\"user_age\":50},\"top_k\":3}");
            assertEquals("model", ranked.get("source").asText());
            ok(service, "/v1/models/churn/predict", "{\"key\":\"" + run + "-predict\",\"rows\":[{\"id\":\"r-1\",\"x1\":9,\"x2\":1,\"region\":\"north\"}]}");
            assertEquals(400, send(service, "/v1/pools/items/rank", "{\"key\":\"" + run + "-bad\",\"top_k\":\"ten\"}").statusCode());
            JsonNode fallback = ok(service, "/v1/pools/items/rank", "{\"key\":\"" + run + "-late\",\"deadline_ms\":" + MODEL_MILLIS / 2 + "}");
            int requests = 4;
            assertFalse(fallback.get("source").asText().equals("model"), "a deadline shorter than the model is missed: " + fallback);

            awaitMetric(service, "scoreline_request_log_sent_total", requests);  // sent and stored; searchable after a refresh
            HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + DATA_STREAM + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
            JsonNode rank = awaitLogged(run + "-rank");
            assertEquals("rank", rank.get("endpoint").asText());
            assertEquals("items", rank.get("pool").asText());
            assertEquals("churn", rank.get("model").asText());
            assertEquals("v1", rank.get("model_version").asText());
            assertEquals("model", rank.get("source").asText());
            assertEquals(200, rank.get("status").asInt());
            assertEquals(ITEMS, rank.get("candidates").asInt());
            assertEquals(5000, rank.get("deadline_ms").asInt());
            assertEquals("serve-test-host", rank.get("host").asText());
            assertEquals(3, rank.get("items").size());
            assertEquals(ranked.get("items").get(0).get("id"), rank.get("items").get(0).get("id"));
            assertEquals(ranked.get("items").get(0).get("score").asDouble(), rank.get("top_score").asDouble(), 0.0);
            assertTrue(rank.get("latency_ms").asDouble() > 0, rank.toString());
            Instant at = Instant.parse(rank.get("@timestamp").asText());
            assertTrue(Duration.between(at, Instant.now()).abs().toMinutes() < 2, rank.toString());
            assertFalse(rank.has("fallback_reason"), rank.toString());

            JsonNode predict = awaitLogged(run + "-predict");
            assertEquals("predict", predict.get("endpoint").asText());
            assertEquals(1, predict.get("rows").asInt());
            assertEquals("r-1", predict.get("items").get(0).get("id").asText());
            assertTrue(predict.get("items").get(0).get("score").isNumber(), predict.toString());
            JsonNode bad = awaitLogged(run + "-bad");
            assertEquals(400, bad.get("status").asInt());
            assertTrue(bad.get("error").asText().contains("top_k"), bad.toString());
            JsonNode late = awaitLogged(run + "-late");
            assertEquals(fallback.get("fallback_reason").asText(), late.get("fallback_reason").asText(), late.toString());
            assertEquals(MODEL_MILLIS / 2, late.get("deadline_ms").asInt());
            assertMappedForKibana();

            String metrics = send(service, "/metrics", null).body();
            for (String meter : List.of("scoreline_request_latency_seconds_bucket{endpoint=\"rank\",source=\"model\",le=\"0.1\"}",
                "scoreline_requests_total{endpoint=\"rank\",source=\"model\",status=\"200\"}",
                "scoreline_requests_total{endpoint=\"rank\",source=\"none\",status=\"400\"}",
                "scoreline_requests_total{endpoint=\"predict\",source=\"model\",status=\"200\"}",
                "scoreline_fallbacks_total{endpoint=\"rank\",reason=\"" + fallback.get("fallback_reason").asText() + "\"}",
                "scoreline_pool_items{pool=\"items\"} " + ITEMS, "scoreline_pool_age_seconds{pool=\"items\"}",
                "scoreline_pool_refresh_failures_total{pool=\"items\"} 0.0", "scoreline_model_info{model=\"churn\",version=\"v1\"} 1",
                "scoreline_model_reload_failures_total{model=\"churn\"} 0.0",
                "scoreline_request_log_queue ", "scoreline_request_log_sent_total", "scoreline_request_log_dropped_total{reason=\"queue_full\"} 0.0",
                "scoreline_request_log_dropped_total{reason=\"unavailable\"} 0.0", "scoreline_request_log_dropped_total{reason=\"rejected\"} 0.0",
                "scoreline_redis_errors_total", "scoreline_alerts_total{outcome=\"sent\"}", "jvm_memory_used_bytes")) {
                assertTrue(metrics.contains(meter), meter + " in /metrics:\n" + metrics);
            }
        }
    }

    /** Kibana charts what the data stream maps: a date, keywords and numbers, not text. */
    private static void assertMappedForKibana() throws Exception {
        JsonNode mappings = get("/" + DATA_STREAM + "/_mapping");
        assertFalse(mappings.isEmpty(), mappings.toString());
        for (JsonNode backing : mappings) {
            JsonNode p = backing.path("mappings").path("properties");
            assertEquals("date", p.path("@timestamp").path("type").asText(), p.toString());
            for (String keyword : List.of("endpoint", "pool", "model", "model_version", "key", "source", "fallback_reason", "host")) {
                assertEquals("keyword", p.path(keyword).path("type").asText(), keyword);
            }
            assertEquals("double", p.path("latency_ms").path("type").asText());
            assertEquals("double", p.path("items").path("properties").path("score").path("type").asText());
        }
    }

    private static JsonNode awaitLogged(String key) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            var search = HttpRequest.newBuilder(URI.create(esUrl + "/" + DATA_STREAM + "/_search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":{\"term\":{\"key\":\"" + key + "\"}},\"sort\":[{\"@timestamp\":\"desc\"}],\"size\":1}"))
                .build();
            var response = HTTP.send(search, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                JsonNode hits = Json.MAPPER.readTree(response.body()).path("hits").path("hits");
                if (!hits.isEmpty()) return hits.get(0).get("_source");  // the newest: a key may be sent more than once
            }
            Thread.sleep(250);
        } while (System.nanoTime() < until);
        throw new AssertionError("no request log document with key " + key + " in " + DATA_STREAM + " within 20 s");
    }

    private static JsonNode get(String path) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void withTheLogsElasticsearchHungOrStoppedRequestsKeepTheirLatencyAndDropsAreCounted() throws Exception {
        try (TcpProxy logs = new TcpProxy(esUrl)) {
            var observability = new Observability(new ServeMetrics(), requestLog(logs.url(), 20), new Alerts(null), Clock.systemUTC());
            try (Service service = start(esUrl, observability, null)) {
                List<Long> before = ranks(service, 20);
                awaitMetric(service, "scoreline_request_log_sent_total", 20);
                logs.hang();
                // the sender may still be gathering a batch (up to 1 s) when the hang starts; once its bulk request hangs,
                // nothing empties the queue of 20, so requests go on until it overflows
                List<Long> hung = new ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                do {
                    hung.addAll(ranks(service, 30));
                } while (metric(service, "scoreline_request_log_dropped_total{reason=\"queue_full\"}") <= 0 && System.nanoTime() < until);
                assertTrue(metric(service, "scoreline_request_log_dropped_total{reason=\"queue_full\"}") > 0, "a full queue drops");
                awaitMetric(service, "scoreline_request_log_dropped_total{reason=\"unavailable\"}", 1);  // the hung bulk request timed out
                logs.stop();
                double unavailable = metric(service, "scoreline_request_log_dropped_total{reason=\"unavailable\"}");
                List<Long> stopped = ranks(service, 30);
                awaitMetric(service, "scoreline_request_log_dropped_total{reason=\"unavailable\"}", unavailable + 1);
                String figures = "median/max ms: Elasticsearch up " + median(before) + "/" + max(before) + ", hung " + median(hung) + "/"
                    + max(hung) + ", stopped " + median(stopped) + "/" + max(stopped);
                System.out.println("request latency with the request log's Elasticsearch up, hung, stopped: " + figures);
                // the same requests, whatever Elasticsearch does: a hung bulk request takes 1 s to time out, none of it a request's
                assertTrue(max(hung) < 500 && max(stopped) < 500, figures);
                assertTrue(median(hung) <= median(before) + 20 && median(stopped) <= median(before) + 20, figures);
            }
        }
    }

    @Test
    void theServiceStartsWhileTheLogsElasticsearchIsDownAndTheTemplateIsRetriedInTheBackground() throws Exception {
        TcpProxy logs = new TcpProxy(esUrl);
        logs.stop();  // nothing listens there any more
        var observability = new Observability(new ServeMetrics(), requestLog(logs.url(), 5), new Alerts(null), Clock.systemUTC());
        try (Service service = start(esUrl, observability, null)) {
            assertTrue(service.ready());
            ranks(service, 10);
            awaitMetric(service, "scoreline_request_log_template_failures_total", 1);
            assertEquals(0.0, metric(service, "scoreline_request_log_template_installed"));
            assertEquals(5.0, metric(service, "scoreline_request_log_queue"), "the queue holds what it can until the template is in");
            assertEquals(5.0, metric(service, "scoreline_request_log_dropped_total{reason=\"queue_full\"}"));
        }
    }

    @Test
    void aDocumentElasticsearchRefusesIsDroppedAndCountedAlone() throws Exception {
        try (var metrics = new ServeMetrics(); RequestLog log = requestLog(esUrl, 10)) {
            log.register(metrics);
            log.start();
            // a key longer than a keyword term may be (32766 bytes): Elasticsearch refuses that document only
            log.answered(Exchange.refused(Exchange.RANK, "items", "k".repeat(40_000), 400, "too long", System.nanoTime()));
            log.answered(Exchange.refused(Exchange.RANK, "items", "fine-" + System.nanoTime(), 400, "ok", System.nanoTime()));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!metrics.scrape().contains("scoreline_request_log_sent_total 1.0") && System.nanoTime() < until) Thread.sleep(100);
            String scrape = metrics.scrape();
            assertTrue(scrape.contains("scoreline_request_log_sent_total 1.0"), scrape);
            assertTrue(scrape.contains("scoreline_request_log_dropped_total{reason=\"rejected\"} 1.0"), scrape);
            assertEquals(1, log.dropped());
        }
    }

    @Test
    void theRequestLogWritesToElasticsearch8Too() throws Exception {
        String es8 = ItServers.elasticsearch8();
        try (var metrics = new ServeMetrics(); RequestLog log = requestLog(es8, 10)) {
            log.register(metrics);
            log.start();
            log.answered(Exchange.refused(Exchange.PREDICT, "churn", "es8-" + System.nanoTime(), 404, "unknown model", System.nanoTime()));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!metrics.scrape().contains("scoreline_request_log_sent_total 1.0") && System.nanoTime() < until) Thread.sleep(100);
            assertTrue(metrics.scrape().contains("scoreline_request_log_sent_total 1.0"), metrics.scrape());
        }
    }

    /** Ranks {@code n} times, one after the other; the wall time of each, in ms. Every answer is the model's. */
    private static List<Long> ranks(Service service, int n) throws Exception {
        List<Long> took = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long started = System.nanoTime();
            JsonNode answer = ok(service, "/v1/pools/items/rank", "{\"key\":\"outage-" + i + "\",\"top_k\":3}");
            took.add((System.nanoTime() - started) / 1_000_000);
            assertEquals("model", answer.get("source").asText(), answer.toString());
        }
        return took;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    @Test
    void aFailingRefreshKeepsTheLastGoodDataShowsInReadyzAndMetricsAndAlertsOnce() throws Exception {
        List<JsonNode> alerts = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            alerts.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        String url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
        try (TcpProxy pools = new TcpProxy(esUrl)) {
            var observability = new Observability(new ServeMetrics(), null, new Alerts(url), Clock.systemUTC());
            try (Service service = start(pools.url(), observability, null)) {
                pools.stop();
                awaitMetric(service, "scoreline_pool_refresh_failures_total{pool=\"items\"}", 3);
                Thread.sleep(300);  // an alert is posted on a thread of its own
                assertEquals(1, alerts.size(), "one alert for three failed refreshes in a row: " + alerts);
                JsonNode alert = alerts.getFirst();
                List<String> fields = new ArrayList<>();
                alert.fieldNames().forEachRemaining(fields::add);
                List<String> expected = new ArrayList<>(ExitCodeTable.alertFields());
                expected.remove("run_id");  // a service has no run
                assertEquals(expected, fields, "the jobs' alert fields");
                assertEquals("serve pool refresh", alert.get("job").asText());
                assertEquals(3, alert.get("exit_code").asInt(), alert.toString());
                assertTrue(alert.get("error").asText().startsWith("pool:items: refresh failed, the last good data stays in use: "), alert.toString());

                JsonNode ready = ok(service, "/readyz", null);
                assertEquals("ready", ready.get("status").asText());
                assertTrue(ready.get("failing").get("pool:items").get("failures").asInt() >= 3, ready.toString());
                assertEquals(ITEMS, ok(service, "/v1/pools/items/rank", "{\"key\":\"k\"}").get("candidates").asInt(), "the last good pool");

                // the model reload's hooks: a failure alerts once, a loaded model closes the incident and names the new version
                var broken = new JobException(ExitCode.MODEL_INVALID, "model churn/v2: sha256 differs from model.json");
                observability.modelReloadFailed("churn", broken);
                observability.modelReloadFailed("churn", broken);
                assertEquals(2.0, metric(service, "scoreline_model_reload_failures_total{model=\"churn\"}"));
                assertNotNull(ok(service, "/readyz", null).get("failing").get("model:churn"));
                observability.modelLoaded("churn", "v2");
                assertTrue(ok(service, "/readyz", null).get("failing").get("model:churn") == null);
                assertEquals(1.0, metric(service, "scoreline_model_info{model=\"churn\",version=\"v2\"}"));
                assertEquals(-1.0, metric(service, "scoreline_model_info{model=\"churn\",version=\"v1\"}"), "the old version is gone");
                Thread.sleep(300);
                assertEquals(3, alerts.size(), "the pool's failure, the model's failure and its recovery: " + alerts);
                JsonNode reloadFailed = alerts.stream().filter(a -> a.get("event").asText().equals("failed")
                    && a.get("job").asText().equals("serve model reload")).findFirst().orElseThrow();
                assertEquals(5, reloadFailed.get("exit_code").asInt());
                JsonNode recovered = alerts.stream().filter(a -> a.get("event").asText().equals("recovered")).findFirst().orElseThrow();
                assertEquals("serve model reload", recovered.get("job").asText());
                assertTrue(recovered.get("text").asText().contains("model:churn works again after 2 failed attempt(s)"), recovered.toString());
                assertEquals(3.0, metric(service, "scoreline_alerts_total{outcome=\"sent\"}"));
            }
        } finally {
            webhook.stop(0);
        }
    }

    /** The value of the first /metrics line starting with {@code series}, or -1 when there is none. */
    private static double metric(Service service, String series) throws Exception {
        for (String line : send(service, "/metrics", null).body().split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        return -1;
    }

    private static void awaitMetric(Service service, String series, double atLeast) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        double value;
        do {
            value = metric(service, series);
            if (value >= atLeast) return;
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        throw new AssertionError(series + " stayed " + value + ", expected at least " + atLeast);
    }
}
