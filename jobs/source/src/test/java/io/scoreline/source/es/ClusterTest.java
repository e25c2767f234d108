package io.scoreline.source.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every attempt fetch makes is one of --es-retries: the HTTP client under the Elasticsearch client must not repeat
 * requests on its own (Apache httpclient repeats a 429 or 503 once after 1 s by default, unlogged and uncounted).
 */
class ClusterTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status;
    private volatile String acceptEncoding;
    private volatile byte[] htmlPage;  // answer as a proxy would, instead of Elasticsearch's JSON

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                acceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
                exchange.getRequestBody().readAllBytes();
                byte[] body = ("{\"error\":{\"root_cause\":[],\"type\":\"es_rejected_execution_exception\",\"reason\":\"busy\"},\"status\":"
                    + status + "}").getBytes(StandardCharsets.UTF_8);
                if (htmlPage != null) body = htmlPage;
                exchange.getResponseHeaders().add("Content-Type", htmlPage != null ? "text/html" : "application/json");
                exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void aTransientAnswerIsSentExactlyRetriesPlusOneTimes(int answer) {
        status = answer;
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        var client = EsClients.connect(List.of(URI.create(url)), Credentials.of(null, null, null, null), null, Duration.ofSeconds(5), 1, false);
        try (var cluster = new Cluster(client, url, new Backoff(2, Duration.ofMillis(10)))) {
            var e = assertThrows(JobException.class, () -> cluster.call("open a point-in-time on 'items'",
                c -> c.openPointInTime(o -> o.index("items").keepAlive(k -> k.time("1m")))));
            assertEquals(ExitCode.SOURCE_UNAVAILABLE, e.exitCode());
            assertTrue(e.getMessage().contains("(3 attempts over") && e.getMessage().contains(Integer.toString(answer)), e.getMessage());
        }
        assertEquals(3, requests.get(), "one request and two retries, no more");
    }

    @ParameterizedTest(name = "--es-compression {0}")
    @ValueSource(booleans = {false, true})
    void gzipIsAskedForOnlyWithCompression(boolean compression) {
        status = 429;
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        var client = EsClients.connect(List.of(URI.create(url)), Credentials.of(null, null, null, null), null, Duration.ofSeconds(5), 1, compression);
        try (var cluster = new Cluster(client, url, new Backoff(0, Duration.ofMillis(10)))) {
            assertThrows(JobException.class, () -> cluster.call("count", c -> c.count(r -> r.index("items"))));
        }
        assertEquals(compression, acceptEncoding != null && acceptEncoding.contains("gzip"), "Accept-Encoding: " + acceptEncoding);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {502, 503, 504})
    void aProxysErrorPageIsNamedByItsStatus(int answer) {
        status = answer;
        htmlPage = ("<html>\r\n<head><title>" + answer + "</title></head>\r\n<body><center><h1>nginx</h1></center></body>\r\n</html>")
            .getBytes(StandardCharsets.UTF_8);
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        var client = EsClients.connect(List.of(URI.create(url)), Credentials.of(null, null, null, null), null, Duration.ofSeconds(5), 1, false);
        try (var cluster = new Cluster(client, url, new Backoff(0, Duration.ofMillis(10)))) {
            var e = assertThrows(JobException.class, () -> cluster.call("count", c -> c.count(r -> r.index("items"))));
            String reason = switch (answer) {
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                default -> "Gateway Timeout";
            };
            assertEquals("Elasticsearch unavailable: cannot count at " + url + ": HTTP " + answer + " " + reason, e.getMessage());
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {200, 404, 406})
    void anotherServerAtTheUrlIsAConfigurationErrorThatSaysSo(int answer) {
        status = answer;
        htmlPage = "<html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8);
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        var client = EsClients.connect(List.of(URI.create(url)), Credentials.of(null, null, null, null), null, Duration.ofSeconds(5), 1, false);
        try (var cluster = new Cluster(client, url, new Backoff(2, Duration.ofMillis(10)))) {
            var e = assertThrows(JobException.class, () -> cluster.call("count", c -> c.count(r -> r.index("items"))));
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertEquals("Elasticsearch: cannot count at " + url + ": HTTP " + answer + ", not an answer from Elasticsearch"
                + " (content-type text/html); does --es-url point at Elasticsearch?", e.getMessage());
        }
        assertEquals(1, requests.get(), "not retried");
    }
}
