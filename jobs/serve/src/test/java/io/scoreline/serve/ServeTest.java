package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.records.NdjsonWriter;
import io.scoreline.core.run.LatestManifest;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.StoredJson;
import io.scoreline.core.store.FileStore;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.model.Score;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.pool.PoolSpec;
import io.scoreline.serve.pool.Pools;
import io.scoreline.source.es.Backoff;
import io.scoreline.source.es.Credentials;
import io.scoreline.source.es.EsSettings;
import io.scoreline.testkit.ItServers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service in-process against the real shared servers: Elasticsearch (the pool), Redis (the answer cache) and a
 * store holding a model registered as predict registers it. A slow model, made by the test, drives the deadline.
 */
class ServeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int ITEMS = 40;
    private static final String PREDICT_ROW = "{\"x1\":9,\"x2\":1,\"region\":\"north\",\"user_age\":70}";
    private static String esUrl, redisUrl;
    private static TestIndex index;
    private static ObjectStore store;
    private static LoadedModel model;

    @BeforeAll
    static void setUp() throws Exception {
        esUrl = ItServers.elasticsearch9();
        redisUrl = ItServers.redis();
        index = TestIndex.withItems(esUrl, ITEMS, 4.0);
        store = new FileStore(Files.createTempDirectory("serve-test-"));
        TestModels.register(store);
        model = TestModels.load(store);
    }

    @AfterAll
    static void tearDown() {
        if (index != null) index.drop();
    }

    private static Service start(Supplier<LoadedModel> loaded, AnswerCache cache, Duration fullRefresh) {
        return start(index, loaded, cache, fullRefresh);
    }

    /**
     * A service on port 0. Its default deadline is generous (the shared test machine is busy): the deadline tests give
     * theirs in the request, with a model far slower than it, so that only the deadline can explain a quick answer.
     */
    private static Service start(TestIndex index, Supplier<LoadedModel> loaded, AnswerCache cache, Duration fullRefresh) {
        var es = TestServices.es(esUrl, Duration.ofSeconds(10));
        var pool = new PoolSpec("items", index.name(), null, "id", "updated_at", List.of("x1", "x2", "region"));
        var pools = new Pools(List.of(pool), es, new Pools.Refresh(Duration.ofMillis(200), fullRefresh, Duration.ofMinutes(5)), Clock.systemUTC());
        var settings = new Service.Settings("127.0.0.1", 0, Duration.ofSeconds(5), 2, 64, 1 << 20, Duration.ofMillis(200));
        var service = new Service(settings, pools, store, cache).start();
        service.load(loaded);
        return service;
    }

    private static AnswerCache cache(String prefix) {
        return new AnswerCache(AnswerCache.uri(redisUrl, null, null), Duration.ofMinutes(5), prefix);
    }

    private static HttpResponse<String> post(Service service, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode rank(Service service, String body) throws Exception {
        var response = post(service, "/v1/pools/items/rank", body);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    /** What the model itself gives an item of the pool with the request's user_age: the number rank must answer. */
    private static double expected(int n, int userAge) throws Exception {
        var features = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(TestIndex.item(n, "2026-01-01T00:00:00Z", n / 4.0));
        features.put("user_age", userAge);
        Score score = model.scorer().score(model.vectorizer().row(features));
        return score.probabilities()[score.probabilities().length - 1];
    }

    @Test
    void ranksThePoolWithTheModelAndFallsBackToTheCachedAnswerWhenTheModelIsLate() throws Exception {
        String prefix = "serve-test-" + System.nanoTime() + ":";
        try (Service service = start(() -> model, cache(prefix), Duration.ofHours(1))) {
            assertTrue(service.ready());
            JsonNode answer = rank(service, "{\"key\":\"user-1\",\"features\":{\"user_age\":50},\"top_k\":5}");
            assertEquals("model", answer.get("source").asText());
            assertEquals("churn", answer.get("model").asText());
            assertEquals("v1", answer.get("model_version").asText());
            assertEquals(ITEMS, answer.get("candidates").asInt());
            assertEquals(5, answer.get("items").size());
            double previous = Double.MAX_VALUE;
            for (JsonNode item : answer.get("items")) {
                int n = Integer.parseInt(item.get("id").asText().substring(5));
                assertEquals(expected(n, 50), item.get("score").asDouble(), 0.0, "the model's own score for " + item);
                assertTrue(item.get("score").asDouble() <= previous, "ranked by score");
                previous = item.get("score").asDouble();
            }
            JsonNode some = rank(service, "{\"key\":\"user-2\",\"candidates\":[\"item-003\",\"item-007\",\"nope\"]}");
            assertEquals(2, some.get("candidates").asInt());
            var predicted = json(post(service, "/v1/models/churn/predict", "{\"key\":\"p-1\",\"rows\":[" + PREDICT_ROW + "]}"));
            assertEquals("model", predicted.get("source").asText());
            Thread.sleep(300);  // the cache write is asynchronous
        }
        // the same model made slow: past the deadline, the answer for user-1 comes from Redis, within the deadline
        try (Service slow = start(() -> TestModels.slow(model, 5000), cache(prefix), Duration.ofHours(1))) {
            long started = System.nanoTime();
            JsonNode answer = rank(slow, "{\"key\":\"user-1\",\"features\":{\"user_age\":50},\"top_k\":3,\"deadline_ms\":100}");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals("cache", answer.get("source").asText(), answer.toString());
            assertEquals("timeout", answer.get("fallback_reason").asText());
            assertEquals(3, answer.get("items").size());
            assertTrue(answer.get("cache_age_ms").asLong() >= 0);
            assertTrue(tookMs < 1000, "answered in " + tookMs + " ms with a 100 ms deadline and a 5 s model");
            assertTrue(answer.get("took_ms").asLong() <= 150, answer.toString());  // 100 ms and a margin for this busy shared machine
            // no cached answer for this key, no batch output: the pool in its stored order, unscored
            JsonNode fallback = rank(slow, "{\"key\":\"someone-new\",\"top_k\":2,\"deadline_ms\":50}");
            assertEquals("timeout", fallback.get("fallback_reason").asText());
            assertEquals("default", fallback.get("source").asText());
            assertEquals("item-000", fallback.get("items").get(0).get("id").asText());
            assertFalse(fallback.get("items").get(0).has("score"));
            var predicted = json(post(slow, "/v1/models/churn/predict", "{\"key\":\"p-1\",\"rows\":[" + PREDICT_ROW + "],\"deadline_ms\":100}"));
            assertEquals("cache", predicted.get("source").asText(), predicted.toString());
            assertEquals("churn", predicted.get("predictions").get(0).get("model").asText());
        }
    }

    @Test
    void withRedisDownTheBatchOutputAnswersInTime() throws Exception {
        ObjectStore withBatch = new FileStore(Files.createTempDirectory("serve-batch-"));
        TestModels.register(withBatch);
        NdjsonWriter.write(withBatch, Layout.LATEST_PREDICTIONS, w -> {
            for (int i = 0; i < 3; i++) {
                w.write(Json.MAPPER.readTree("{\"id\":\"item-00" + i + "\",\"prediction\":\"yes\",\"probabilities\":{\"no\":0.1,\"yes\":0."
                    + (i + 5) + "},\"model\":\"churn\",\"model_version\":\"v1\"}"));
            }
        });
        StoredJson.write(withBatch, Layout.LATEST_MANIFEST, new LatestManifest(1, "r1", "runs/r1/snapshot.ndjson.gz", "x", 3, 1, "churn",
            "v1", Instant.now(), Instant.now(), "r1", false, null, null));
        ObjectStore original = store;
        store = withBatch;
        // nothing listens on port 1: Redis is down
        try (Service service = start(() -> TestModels.slow(TestModels.load(withBatch), 5000),
            new AnswerCache(AnswerCache.uri("redis://127.0.0.1:1", null, null), Duration.ofMinutes(1), "x:"), Duration.ofHours(1))) {
            long started = System.nanoTime();
            JsonNode answer = rank(service, "{\"key\":\"user-1\",\"deadline_ms\":100}");
            assertTrue((System.nanoTime() - started) / 1_000_000 < 1000, answer.toString());
            assertTrue(answer.get("took_ms").asLong() <= 150, answer.toString());  // 100 ms and a margin for this busy shared machine
            assertEquals("batch", answer.get("source").asText(), answer.toString());
            assertEquals("item-002", answer.get("items").get(0).get("id").asText());
            assertEquals(0.7, answer.get("items").get(0).get("score").asDouble(), 1e-9);
            JsonNode unpublished = rank(service, "{\"key\":\"user-1\",\"candidates\":[\"item-010\"],\"deadline_ms\":100}");
            assertEquals("default", unpublished.get("source").asText(), unpublished.toString());
            JsonNode predicted = json(post(service, "/v1/models/churn/predict",
                "{\"rows\":[{\"id\":\"item-001\",\"x1\":1}],\"deadline_ms\":100}"));
            assertEquals("batch", predicted.get("source").asText(), predicted.toString());
        } finally {
            store = original;
        }
    }

    @Test
    void poolsFollowTheIndexNewUpdatedAndDeletedItems() throws Exception {
        TestIndex own = TestIndex.create(esUrl);
        own.index(TestIndex.item(3, "2026-01-01T00:00:00Z", 0.75), TestIndex.item(4, "2026-01-01T00:00:00Z", 1));
        try {
            followsTheIndex(own);
        } finally {
            own.drop();
        }
    }

    private static void followsTheIndex(TestIndex index) throws Exception {
        try (Service service = start(index, () -> model, null, Duration.ofHours(1))) {
            index.index(TestIndex.item(900, Instant.now().toString(), 9.5));
            awaitCandidates(service, "item-900", 1);
            index.index(TestIndex.item(3, Instant.now().toString(), 9.9));  // an update: x1 from 0.75 to 9.9
            JsonNode updated = awaitScore(service, "item-003", expectedFor(3, 9.9));
            assertEquals("model", updated.get("source").asText());
        }
        // deletions show at the next full read
        try (Service service = start(index, () -> model, null, Duration.ofMillis(400))) {
            awaitCandidates(service, "item-900", 1);
            index.delete("item-900");
            awaitCandidates(service, "item-900", 0);
        }
    }

    private static double expectedFor(int n, double x1) throws Exception {
        var features = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(TestIndex.item(n, "2026-01-01T00:00:00Z", x1));
        Score score = model.scorer().score(model.vectorizer().row(features));
        return score.probabilities()[score.probabilities().length - 1];
    }

    private static void awaitCandidates(Service service, String id, int expected) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int found;
        do {
            found = rank(service, "{\"key\":\"k\",\"candidates\":[\"" + id + "\"],\"deadline_ms\":1000}").get("candidates").asInt();
            if (found == expected) return;
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        assertEquals(expected, found, id + " in the pool");
    }

    private static JsonNode awaitScore(Service service, String id, double score) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode answer;
        do {
            answer = rank(service, "{\"key\":\"k\",\"candidates\":[\"" + id + "\"],\"deadline_ms\":1000}");
            if (answer.get("items").get(0).get("score").asDouble() == score) return answer;
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        throw new AssertionError("score of " + id + " stayed " + answer);
    }

    @Test
    void predictScoresRowsAndBadRequestsGetOneJsonError() throws Exception {
        try (Service service = start(() -> model, null, Duration.ofHours(1))) {
            var predicted = post(service, "/v1/models/churn/predict",
                "{\"rows\":[{\"x1\":9,\"x2\":1,\"region\":\"north\",\"user_age\":70},{\"x1\":0.5,\"x2\":1,\"region\":\"south\",\"user_age\":20}]}");
            assertEquals(200, predicted.statusCode(), predicted.body());
            JsonNode body = json(predicted);
            assertEquals("model", body.get("source").asText());
            assertEquals(2, body.get("predictions").size());
            var row = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"x1\":9,\"x2\":1,\"region\":\"north\",\"user_age\":70}");
            Score direct = model.scorer().score(model.vectorizer().row(row));
            assertEquals(direct.label(), body.get("predictions").get(0).get("prediction").asText());
            assertEquals(direct.probabilities()[1], body.get("predictions").get(0).get("probabilities").get("yes").asDouble(), 0.0);

            assertError(service, "/v1/pools/nope/rank", "{\"key\":\"k\"}", 404, "unknown pool 'nope'");
            assertError(service, "/v1/models/other/predict", "{\"rows\":[{}]}", 404, "unknown model 'other'");
            // the parser's own words name Java settings the caller cannot change: the answer says where the body went wrong
            assertError(service, "/v1/pools/items/rank", "{\"key\":", 400, "the body is not JSON (line 1, column 8): send one JSON object");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"top_k\": NaN}", 400, "the body is not JSON (line 1, column 24)");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\"} {\"top_k\":3}", 400, "the body is more than one JSON value");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"a\",\"key\":\"b\"}", 400, "field 'key' given twice (line 1, column 17)");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"top_k\":\"ten\"}", 400, "top_k must be an integer from 1 to 1000");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"deadline_ms\":0}", 400, "deadline_ms must be an integer");
            assertError(service, "/v1/pools/items/rank", "{\"top_k\":3}", 400, "key must be a non-empty string");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"features\":{\"user_age\":\"old\"}}", 400,
                "feature 'user_age' is \"old\", expected a number");
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\",\"features\":{\"colour\":1}}", 400, "'colour' is not a feature");
            assertError(service, "/v1/models/churn/predict", "{\"rows\":[{\"x1\":\"a lot\"}]}", 400, "rows[0]: feature 'x1'");
            assertError(service, "/v1/models/churn/predict", "[1,2]", 400, "must be a JSON object");
            var wrongMethod = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/v1/pools/items/rank")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
            assertEquals("{\"error\":\"GET /v1/pools/items/rank: use POST\",\"status\":405}", wrongMethod.body());
            assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(null));
            assertError(service, "/v1/pool/items/rank", "{\"key\":\"k\"}", 404, "no endpoint POST /v1/pool/items/rank; endpoints: POST /v1/pools/{pool}/rank");

            // A body over 1 MiB: refused by the HTTP server on its Content-Length before the routes, or while a route reads a
            // chunked one; either way the same JSON error, counted once (and logged, as every answer is)
            String tooLarge = "the body is over the limit of 1048576 bytes: send fewer rows or items per request";
            try (var client = new RawHttpClient(service.port())) {
                var announced = client.announce("/v1/pools/items/rank", (1 << 20) + 1);
                assertEquals(413, announced.status(), announced.body());
                assertEquals("{\"error\":\"" + tooLarge + "\",\"status\":413}", announced.body());
            }
            byte[] big = ("{\"rows\":[{\"x1\":\"" + "9".repeat(1 << 20) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            var chunked = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/v1/models/churn/predict"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode(), chunked.body());
            assertEquals(tooLarge, json(chunked).get("error").asText());
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            var counted = metrics.lines().filter(l -> l.startsWith("scoreline_requests_total{") && l.contains("status=\"413\"")).sorted().toList();
            assertEquals(List.of("scoreline_requests_total{endpoint=\"predict\",source=\"none\",status=\"413\"} 1.0",
                "scoreline_requests_total{endpoint=\"rank\",source=\"none\",status=\"413\"} 1.0"), counted, metrics);
        }
    }

    private static void assertError(Service service, String path, String body, int status, String says) throws Exception {
        var response = post(service, path, body);
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = json(response);
        assertTrue(error.get("error").asText().contains(says), error.toString());
        assertEquals(status, error.get("status").asInt());
    }

    @Test
    void notReadyUntilTheModelAndPoolsAreLoaded() throws Exception {
        var es = new EsSettings(List.of(URI.create(esUrl)), Credentials.of(null, null, null, null), null, null, Duration.ofSeconds(10),
            new Backoff(0, Duration.ofMillis(100)), false);
        var pools = new Pools(List.of(new PoolSpec("items", index.name(), null, "id", "updated_at", List.of())), es,
            new Pools.Refresh(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMinutes(5)), Clock.systemUTC());
        var settings = new Service.Settings("127.0.0.1", 0, Duration.ofMillis(100), 1, 8, 1 << 20, Duration.ofSeconds(30));
        try (Service service = new Service(settings, pools, store, null).start()) {
            var get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/readyz")).build();
            var health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/healthz")).build();
            assertEquals(200, HTTP.send(health, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(503, HTTP.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertError(service, "/v1/pools/items/rank", "{\"key\":\"k\"}", 503, "still loading");
            service.load(() -> model);
            assertEquals(200, HTTP.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            var openapi = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertTrue(openapi.body().startsWith("openapi: 3"));
        }
    }
}
