package io.scoreline.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * A local HTTP server in front of a real Elasticsearch node. It forwards every request and records it, except those a
 * rule picks, which it answers as the real world sometimes does: 401 as a node with security would (the test nodes have
 * none), 429 / 503 as an overloaded node, 502 / 504 as a load balancer, a connection that closes mid-answer as a node
 * going away, an answer later than the client waits. Each rule counts the requests its selector matches, so a script
 * reads "the 3rd and 4th searches get 429" or "every search from the 3rd on is cut"; the first rule that applies wins.
 */
final class EsProxy implements AutoCloseable {
    /** A request as the proxy saw it, in arrival order; {@code outcome} is "forwarded" or the fault's name. */
    record Request(long atNanos, String method, String path, String body, String authorization, String outcome) {
        boolean forwarded() {
            return outcome.equals("forwarded");
        }
    }

    static final Predicate<Request> SEARCH = r -> r.path().startsWith("/_search");
    static final Predicate<Request> OPEN_PIT = r -> r.method().equals("POST") && r.path().contains("/_pit");
    static final Predicate<Request> CLOSE_PIT = r -> r.method().equals("DELETE") && r.path().startsWith("/_pit");

    /** The searches that read slice {@code id} of a point-in-time read with --slices > 1. */
    static Predicate<Request> searchOfSlice(int id) {
        return SEARCH.and(r -> r.body().contains("\"slice\":{\"id\":\"" + id + "\""));
    }

    /** The n-th matching requests (1-based). */
    static IntPredicate nth(int... numbers) {
        return n -> IntStream.of(numbers).anyMatch(k -> k == n);
    }

    /** Every matching request from the n-th on: a failure that persists. */
    static IntPredicate from(int first) {
        return n -> n >= first;
    }

    private record Rule(Predicate<Request> selects, IntPredicate which, Fault fault, int[] seen) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String backend;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    EsProxy(String backend) throws IOException {
        this.backend = backend;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);  // one thread per exchange: a slow answer holds up nothing else
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the {@code which}-th of the requests {@code selects} matches with {@code fault}. */
    EsProxy on(Predicate<Request> selects, IntPredicate which, Fault fault) {
        rules.add(new Rule(selects, which, fault, new int[1]));
        return this;
    }

    /** Answers 401 as Elasticsearch security does, unless the Authorization header is exactly {@code expected}. */
    EsProxy requireAuthorization(String expected) {
        return on(r -> !expected.equals(r.authorization()), n -> true, Fault.UNAUTHORIZED);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(Predicate<Request> selects) {
        return requests.stream().filter(selects).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var request = new Request(System.nanoTime(), exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                new String(body, StandardCharsets.UTF_8), exchange.getRequestHeaders().getFirst("Authorization"), "forwarded");
            Fault fault = pickAndRecord(request);
            if (fault == null) {
                forward(exchange, request, body).send(exchange);
            } else {
                fault.answer(exchange, () -> forward(exchange, request, body));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Fault pickAndRecord(Request request) {
        Fault picked = null;
        for (Rule rule : rules) {
            if (!rule.selects().test(request)) continue;
            int n = ++rule.seen()[0];
            if (picked == null && rule.which().test(n)) picked = rule.fault();
        }
        requests.add(picked == null ? request : new Request(request.atNanos(), request.method(), request.path(), request.body(),
            request.authorization(), picked.name()));
        return picked;
    }

    private Answer forward(HttpExchange exchange, Request request, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(backend + request.path()))
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : FORWARDED) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) forward.header(header, value);
        }
        HttpResponse<byte[]> response = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
            response.headers().firstValue("X-elastic-product").isPresent(), response.body());
    }

    /** An HTTP answer; {@code fromElasticsearch} adds the product header Elasticsearch sends and load balancers don't. */
    record Answer(int status, String contentType, boolean fromElasticsearch, byte[] body) {
        void send(HttpExchange exchange) throws IOException {
            head(exchange);
            if (body.length > 0) exchange.getResponseBody().write(body);
        }

        /** Sends the head (announcing the whole body) and the first {@code bytes} bytes, then drops the connection. */
        void sendCut(HttpExchange exchange, int bytes) throws IOException {
            head(exchange);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, Math.min(bytes, body.length - 1));
            out.flush();
            throw new IOException("cut the answer after " + bytes + " bytes");  // the server closes the connection
        }

        private void head(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            if (fromElasticsearch) exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        }
    }

    interface Forwarding {
        Answer get() throws IOException, InterruptedException;
    }

    /** What the proxy does instead of forwarding a request; {@code real} fetches the real answer, if the fault needs it. */
    record Fault(String name, Action action) {
        interface Action {
            void answer(HttpExchange exchange, Forwarding real) throws IOException, InterruptedException;
        }

        static final Fault UNAUTHORIZED = elasticsearch(401, "security_exception", "unable to authenticate with provided credentials", "");
        /** What a node with a full search queue answers. */
        static final Fault REJECTED = elasticsearch(429, "es_rejected_execution_exception",
            "rejected execution of TimedRunnable{original=org.elasticsearch.action.search.FetchSearchPhase$1@6b3d8e9a} on"
                + " TaskExecutionTimeTrackingEsThreadPoolExecutor[name = node-1/search, queue capacity = 1000,"
                + " task execution EWMA = 2.1ms, total task execution time = 1.2h]",
            "");
        /** What a node answers when no copy of a shard is available. */
        static final Fault UNAVAILABLE = elasticsearch(503, "search_phase_execution_exception", "all shards failed",
            ",\"phase\":\"query\",\"grouped\":true,\"failed_shards\":[]");
        static final Fault BAD_GATEWAY = loadBalancer(502, "Bad Gateway");
        static final Fault GATEWAY_TIMEOUT = loadBalancer(504, "Gateway Time-out");
        /** The node goes away before it answers. */
        static final Fault CLOSED_BEFORE_ANSWER = new Fault("closed before answering", (exchange, real) -> {
            throw new IOException("closed without an answer");  // the server closes the connection
        });

        /** The node goes away after sending the head and the first {@code bytes} bytes of the real answer. */
        static Fault cutAfter(int bytes) {
            return new Fault("cut after " + bytes + " bytes", (exchange, real) -> real.get().sendCut(exchange, bytes));
        }

        /** The real answer, {@code delay} late. */
        static Fault late(Duration delay) {
            return new Fault("late by " + delay.toMillis() + " ms", (exchange, real) -> {
                Thread.sleep(delay);
                real.get().send(exchange);
            });
        }

        void answer(HttpExchange exchange, Forwarding real) throws IOException, InterruptedException {
            action.answer(exchange, real);
        }

        private static Fault elasticsearch(int status, String type, String reason, String more) {
            String cause = "{\"type\":\"%s\",\"reason\":\"%s\"}".formatted(type, reason);
            String body = "{\"error\":{\"root_cause\":[%s],\"type\":\"%s\",\"reason\":\"%s\"%s},\"status\":%d}"
                .formatted(more.isEmpty() ? cause : "", type, reason, more, status);
            var answer = new Answer(status, "application/json", true, body.getBytes(StandardCharsets.UTF_8));
            return new Fault(status + " " + type, (exchange, real) -> answer.send(exchange));
        }

        private static Fault loadBalancer(int status, String text) {
            String html = "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
            var answer = new Answer(status, "text/html", false, html.formatted(status, text, status, text).getBytes(StandardCharsets.UTF_8));
            return new Fault(status + " from a load balancer", (exchange, real) -> answer.send(exchange));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
