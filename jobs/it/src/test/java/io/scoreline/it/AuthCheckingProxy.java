package io.scoreline.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for Elasticsearch security, which the test nodes lack: a local HTTP server that answers 401 as
 * Elasticsearch does unless the Authorization header is exactly the expected one, and otherwise forwards the request
 * to the real node. It records the Authorization headers it saw.
 */
final class AuthCheckingProxy implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept");

    private final HttpServer server;
    private final String backend;
    private final String expected;
    final List<String> seen = new CopyOnWriteArrayList<>();

    AuthCheckingProxy(String backend, String expectedAuthorization) throws IOException {
        this.backend = backend;
        this.expected = expectedAuthorization;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(String.valueOf(authorization));
            exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
            if (!expected.equals(authorization)) {
                reply(exchange, 401, "application/json", """
                    {"error":{"root_cause":[{"type":"security_exception","reason":"unable to authenticate with provided credentials"}],\
                    "type":"security_exception","reason":"unable to authenticate with provided credentials"},"status":401}""".getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            for (String header : FORWARDED) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) request.header(header, value);
            }
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            reply(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
