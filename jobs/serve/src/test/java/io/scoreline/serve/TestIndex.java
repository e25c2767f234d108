package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/** A throw-away index on the shared Elasticsearch test server (ItServers.elasticsearch9()), with the pool's documents. */
record TestIndex(String url, String name) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TestIndex create(String url) {
        var index = new TestIndex(url, "serve-test-" + System.nanoTime());
        index.send("PUT", "/" + index.name, """
            {"mappings": {"properties": {"id": {"type": "keyword"}, "updated_at": {"type": "date"},
              "x1": {"type": "double"}, "x2": {"type": "double"}, "region": {"type": "keyword"}}}}""");
        return index;
    }

    /** An index of {@code count} items, item n with x1 = n / {@code per}: the test model scores them in that order. */
    static TestIndex withItems(String url, int count, double per) {
        TestIndex index = create(url);
        index.index(java.util.stream.IntStream.range(0, count).mapToObj(n -> item(n, "2026-01-01T00:00:00Z", n / per)).toArray(String[]::new));
        return index;
    }

    /** An item document; {@code x1} drives the test model's score. */
    static String item(int n, String updatedAt, double x1) {
        return String.format(Locale.ROOT, "{\"id\":\"item-%03d\",\"updated_at\":\"%s\",\"x1\":%.3f,\"x2\":%d,\"region\":\"%s\"}",
            n, updatedAt, x1, n % 7, n % 2 == 0 ? "north" : "south");
    }

    void index(String... documents) {
        StringBuilder bulk = new StringBuilder();
        for (String d : documents) {
            String id = d.substring(d.indexOf("\"id\":\"") + 6, d.indexOf('"', d.indexOf("\"id\":\"") + 6));
            bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n").append(d).append('\n');
        }
        send("POST", "/" + name + "/_bulk?refresh=true", bulk.toString());
    }

    void delete(String id) {
        send("DELETE", "/" + name + "/_doc/" + id + "?refresh=true", null);
    }

    void drop() {
        send("DELETE", "/" + name, null);
    }

    private void send(String method, String path, String body) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/x-ndjson")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
