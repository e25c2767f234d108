package io.scoreline.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A TCP proxy in front of a real server (S3 or Elasticsearch) that reads the HTTP requests passing through, so a test
 * can make the server fail at an exact request: go away (connections dropped, new ones refused), answer slowly, answer
 * every request with a throttling error, or hold a request unanswered while the test kills the job that sent it. It
 * works on bytes, so signed requests (S3's SigV4) pass unchanged; the shared servers behind it are never touched.
 */
final class FaultProxy implements AutoCloseable {
    /** What the proxy does with a request. */
    enum Mode { PASS, SLOW, THROTTLE, DOWN, HOLD }

    /** A request as it arrived: its method and target (path and query), and what the proxy did with it. */
    record Request(String method, String target, Mode mode) {
        boolean writes(String keyPart) {
            return (method.equals("PUT") || method.equals("POST")) && target.contains(keyPart);
        }
    }

    private final InetSocketAddress backend;
    private final byte[] throttleAnswer;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ServerSocket server;
    private volatile Mode mode = Mode.PASS;
    private volatile Duration delay = Duration.ZERO;
    private volatile Predicate<Request> trigger;
    private volatile Mode triggered;

    /** @param throttleAnswer the whole HTTP answer (head and body) the server gives when it throttles */
    FaultProxy(String backendUrl, byte[] throttleAnswer) throws IOException {
        URI uri = URI.create(backendUrl);
        this.backend = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.throttleAnswer = throttleAnswer;
        this.server = listen(0);
        this.port = server.getLocalPort();
        Thread.ofVirtual().start(() -> accept(server));
    }

    /** In front of S3: throttling is 503 SlowDown with S3's XML error. */
    static FaultProxy s3(String endpoint) throws IOException {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your"
            + " request rate.</Message><RequestId>outage-suite</RequestId></Error>";
        return new FaultProxy(endpoint, answer("503 Slow Down", "application/xml", "", body));
    }

    /** In front of Elasticsearch: throttling is 503 from a node with no shard copy available. */
    static FaultProxy elasticsearch(String url) throws IOException {
        String body = "{\"error\":{\"root_cause\":[],\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards"
            + " failed\",\"phase\":\"query\",\"grouped\":true,\"failed_shards\":[]},\"status\":503}";
        return new FaultProxy(url, answer("503 Service Unavailable", "application/json", "X-elastic-product: Elasticsearch\r\n", body));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** From the first request {@code when} matches on (that one included), the server behaves as {@code mode}. */
    FaultProxy at(Predicate<Request> when, Mode mode) {
        this.held = new CountDownLatch(1);
        this.triggered = mode;
        this.trigger = when;
        return this;
    }

    /** The server behaves as {@code mode} from now on. */
    FaultProxy now(Mode mode) {
        trigger = null;
        switchTo(mode);
        return this;
    }

    /** The delay {@link Mode#SLOW} adds before each request. */
    FaultProxy delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Back to a healthy server: requests pass, a stopped server listens again on the same port. */
    synchronized void heal() throws IOException {
        trigger = null;
        boolean wasDown = mode == Mode.DOWN;
        mode = Mode.PASS;
        if (wasDown) {
            ServerSocket s = listen(port);
            server = s;
            Thread.ofVirtual().start(() -> accept(s));
        }
    }

    /** Waits until a request is held ({@link Mode#HOLD}): its job is then stopped right before that request. */
    boolean awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Mode mode() {
        return mode;
    }

    private synchronized void switchTo(Mode next) {
        if (mode == Mode.DOWN && next != Mode.DOWN) throw new IllegalStateException("heal() a stopped server first");
        mode = next;
        if (next == Mode.DOWN) {
            closeQuietly(server);  // new connections are refused
            open.forEach(FaultProxy::closeQuietly);  // open ones drop, as when the process dies
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(backend, 5000);
            open.add(upstream);
            InputStream fromClient = new BufferedInputStream(client.getInputStream(), 1 << 16);
            OutputStream toServer = upstream.getOutputStream();
            Thread answers = Thread.ofVirtual().start(() -> pipe(upstream, client));
            while (true) {
                byte[] head = HttpFraming.readHead(fromClient);
                if (head == null) break;
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] line = text.substring(0, text.indexOf("\r\n")).split(" ");
                Mode m = decide(line[0], line[1]);
                if (m == Mode.HOLD) {
                    held.countDown();
                    closed.await(5, TimeUnit.MINUTES);  // the test kills the job meanwhile; the request never reaches the server
                    break;
                }
                if (m == Mode.THROTTLE) {
                    client.getOutputStream().write(throttleAnswer);  // before any body: the client may await 100-continue
                    client.getOutputStream().flush();
                    break;
                }
                if (m == Mode.DOWN) break;
                if (m == Mode.SLOW) Thread.sleep(delay);
                toServer.write(head);
                HttpFraming.copyBody(text, fromClient, toServer);
                toServer.flush();
            }
            answers.interrupt();
        } catch (IOException | InterruptedException dropped) {
            // the client, the server or the test closed the connection
        } finally {
            open.remove(client);
        }
    }

    private synchronized Mode decide(String method, String target) {
        Request probe = new Request(method, target, mode);
        Predicate<Request> t = trigger;
        if (t != null && t.test(probe)) {
            trigger = null;
            switchTo(triggered);
        }
        requests.add(new Request(method, target, mode));
        return mode;
    }

    private void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException closed) {
            // either side went away
        } finally {
            closeQuietly(to);
            open.remove(from);
        }
    }

    private static byte[] answer(String status, String contentType, String extraHeaders, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\n" + extraHeaders + "Content-Length: "
            + b.length + "\r\nConnection: close\r\n\r\n";
        byte[] all = java.util.Arrays.copyOf(head.getBytes(StandardCharsets.ISO_8859_1), head.length() + b.length);
        System.arraycopy(b, 0, all, head.length(), b.length);
        return all;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed.countDown();
        trigger = null;
        mode = Mode.DOWN;
        closeQuietly(server);
        open.forEach(FaultProxy::closeQuietly);
    }
}
