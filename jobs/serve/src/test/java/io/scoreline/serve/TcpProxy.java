package io.scoreline.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a shared test server, for outages that must not touch the server itself: {@link #hang}
 * accepts connections and never answers (a server that stopped responding), {@link #stop} closes the port (a stopped
 * server: connection refused), {@link #forward} passes traffic again. Every switch cuts the connections open so far.
 */
final class TcpProxy implements AutoCloseable {
    private final URI target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean hanging;

    TcpProxy(String targetUrl) throws IOException {
        this.target = URI.create(targetUrl);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void hang() {
        hanging = true;
        cut();
    }

    void forward() {
        hanging = false;
        cut();
    }

    void stop() throws IOException {
        server.close();
        cut();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                if (hanging) continue;  // held open, never read, never answered
                Socket upstream = new Socket(target.getHost(), target.getPort());
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection cut
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // cut
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private void cut() {
        for (Socket s : open) close(s);
        open.clear();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
