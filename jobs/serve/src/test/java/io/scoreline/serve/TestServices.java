package io.scoreline.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.serve.pool.PoolSpec;
import io.scoreline.serve.pool.Pools;
import io.scoreline.source.es.Backoff;
import io.scoreline.source.es.Credentials;
import io.scoreline.source.es.EsSettings;
import io.scoreline.testkit.ItServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A service on port 0 over a test index's pool "items", and HTTP calls to it: shared by the tests after ServeTest. */
final class TestServices {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestServices() {}

    static Service start(String esUrl, TestIndex index, ObjectStore store, Supplier<LoadedModel> model, int scoringThreads,
                         Map<String, String> filters) {
        return start(esUrl, index, store, model, scoringThreads, filters, List.of("x1", "x2", "region"));
    }

    /** The shared Elasticsearch 9 node ({@link ItServers}: given, or a container; else a one-line failure). */
    static String esUrl() {
        return ItServers.elasticsearch9();
    }

    /** A local test node's settings: no credentials, one retry after 100 ms. */
    static EsSettings es(String url, Duration timeout) {
        return new EsSettings(List.of(URI.create(url)), Credentials.of(null, null, null, null), null, null, timeout,
            new Backoff(1, Duration.ofMillis(100)), false);
    }

    static Service start(String esUrl, TestIndex index, ObjectStore store, Supplier<LoadedModel> model, int scoringThreads,
                         Map<String, String> filters, List<String> features) {
        var es = es(esUrl, Duration.ofSeconds(10));
        var pool = new PoolSpec("items", index.name(), null, "id", "updated_at", features, filters);
        var pools = new Pools(List.of(pool), es, new Pools.Refresh(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMinutes(5)),
            Clock.systemUTC());
        var settings = new Service.Settings("127.0.0.1", 0, Duration.ofSeconds(5), scoringThreads, 64, 1 << 20, Duration.ofMinutes(5));
        var service = new Service(settings, pools, store, null).start();
        service.load(model);
        return service;
    }

    static HttpResponse<String> post(Service service, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(Service service, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build();
        return Json.MAPPER.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
