/*
 * A tiny TLS-terminating TCP proxy for tests: accepts TLS on 127.0.0.1:<tls-port> and forwards the plain bytes to
 * <backend-host>:<backend-port>. Used to put HTTPS in front of a test Elasticsearch node (which has no x-pack, so no
 * TLS of its own). JDK only (virtual threads, Java 21+); started by start-tls-proxy.sh, stopped with SIGTERM.
 *
 * Usage: java ScorelineTlsProxy <tls-port> <backend-host> <backend-port> <tls-dir>
 *   <tls-dir>/server.p12   key and certificate chain of the server (PKCS12, password "changeit"); required
 *   <tls-dir>/ca.pem       the CA; if <tls-dir>/truststore.p12 is missing it is written from it, for Java clients
 */

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;

public final class ScorelineTlsProxy {

    private static final String PASSWORD = "changeit";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ScorelineTlsProxy <tls-port> <backend-host> <backend-port> <tls-dir>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String backendHost = args[1];
        int backendPort = Integer.parseInt(args[2]);
        Path tlsDir = Path.of(args[3]);
        char[] password = PASSWORD.toCharArray();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tlsDir.resolve("server.p12"))) {
            ks.load(in, password);
        }
        writeTruststoreIfMissing(tlsDir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);

        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(port, 128, InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
        log("listening on https://127.0.0.1:" + port + " -> " + backendHost + ":" + backendPort);
        while (true) {
            SSLSocket client = (SSLSocket) server.accept();
            Thread.ofVirtual().name("conn-" + client.getPort()).start(() -> serve(client, backendHost, backendPort));
        }
    }

    private static void serve(SSLSocket client, String backendHost, int backendPort) {
        try (client; Socket backend = new Socket()) {
            client.setTcpNoDelay(true);
            client.startHandshake();
            backend.connect(new InetSocketAddress(backendHost, backendPort), 10_000);
            backend.setTcpNoDelay(true);
            Thread upstream = Thread.ofVirtual().start(() -> {
                try {
                    pump(client.getInputStream(), backend.getOutputStream());
                } catch (IOException ignored) {
                    // client went away; closing below ends the other direction too
                } finally {
                    try { backend.shutdownOutput(); } catch (IOException ignored) { }
                }
            });
            try {
                pump(backend.getInputStream(), client.getOutputStream());
            } catch (IOException ignored) {
                // client or backend closed the connection
            }
            client.close();
            backend.close();
            upstream.join();
        } catch (IOException e) {
            log("connection from port " + client.getPort() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A PKCS12 truststore holding the test CA as a trusted entry (what keytool -importcert makes). */
    private static void writeTruststoreIfMissing(Path tlsDir) throws Exception {
        Path truststore = tlsDir.resolve("truststore.p12");
        Path caPem = tlsDir.resolve("ca.pem");
        if (Files.exists(truststore) || !Files.exists(caPem)) return;
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ts.setCertificateEntry("scoreline-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path tmp = tlsDir.resolve("truststore.p12.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ts.store(out, PASSWORD.toCharArray());
        }
        Files.move(tmp, truststore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    private static void log(String msg) {
        System.err.println("[" + Instant.now() + "] scoreline-tls-proxy: " + msg);
    }
}
