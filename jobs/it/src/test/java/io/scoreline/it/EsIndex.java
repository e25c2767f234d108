package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.core.records.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.Locale;
import java.util.UUID;

/** A fresh index on a real Elasticsearch node for one test, written through the REST API (bulk, refresh, delete). */
final class EsIndex implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String url;
    final String name;

    private EsIndex(String url, String name) {
        this.url = url;
        this.name = name;
    }

    /** An index with the documents' mapping: id keyword, updated_at date; 2 shards, so slices and shards differ. */
    static EsIndex create(EsServer server, String refreshInterval) {
        var index = new EsIndex(server.url(), "it-" + UUID.randomUUID().toString().substring(0, 8));
        index.send("PUT", "/" + index.name, """
            {"settings":{"number_of_shards":2,"number_of_replicas":0,"refresh_interval":"%s"},
             "mappings":{"properties":{"id":{"type":"keyword"},"updated_at":{"type":"date"}}}}""".formatted(refreshInterval));
        return index;
    }

    static EsIndex create(EsServer server) {
        return create(server, "1s");
    }

    /** The options that make fetch read this index. */
    String[] sourceOptions() {
        return new String[] {"--es-url", url, "--index", name};
    }

    /** Indexes NDJSON documents with their "id" as _id, so a new version replaces the old one, as in a real pool. */
    void index(String ndjson, boolean refresh) {
        StringBuilder bulk = new StringBuilder();
        int inBulk = 0;
        for (String line : (Iterable<String>) ndjson.lines()::iterator) {
            if (line.isBlank()) continue;
            bulk.append("{\"index\":{\"_id\":\"").append(id(line)).append("\"}}\n").append(line).append('\n');
            if (++inBulk == 10_000) {  // requests of a few MB: fast, and far below the node's limits
                bulk(bulk.toString(), false);
                bulk.setLength(0);
                inBulk = 0;
            }
        }
        if (inBulk > 0) bulk(bulk.toString(), false);
        if (refresh) refresh();
    }

    void delete(Collection<String> ids) {
        StringBuilder bulk = new StringBuilder();
        ids.forEach(id -> bulk.append("{\"delete\":{\"_id\":\"").append(id).append("\"}}\n"));
        bulk(bulk.toString(), true);
    }

    void refresh() {
        send("POST", "/" + name + "/_refresh", null);
    }

    String send(String method, String path, String json) {
        var body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        var request = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json").method(method, body).build();
        HttpResponse<String> response = call(request);
        assertEquals(200, response.statusCode(), () -> method + " " + path + ": " + response.body());
        return response.body();
    }

    private void bulk(String body, boolean refresh) {
        var request = HttpRequest.newBuilder(URI.create(url + "/" + name + "/_bulk?filter_path=errors,items.*.error" + (refresh ? "&refresh=true" : "")))
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = call(request);
        assertEquals(200, response.statusCode(), response::body);
        if (response.body().contains("\"errors\":true")) throw new AssertionError("bulk had errors: " + response.body());
    }

    private static HttpResponse<String> call(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String id(String line) {
        try {
            return Json.MAPPER.readTree(line).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            call(HttpRequest.newBuilder(URI.create(url + "/" + name)).DELETE().build());
        } catch (RuntimeException e) {
            System.err.println("could not delete test index " + name.toLowerCase(Locale.ROOT) + ": " + e);
        }
    }
}
