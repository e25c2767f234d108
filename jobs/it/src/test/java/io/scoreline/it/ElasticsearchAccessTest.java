package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reaching Elasticsearch as users do: credentials, TLS, and one clear line with the right exit code when it fails. */
class ElasticsearchAccessTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String SECRET = TestSecrets.ES_SECRET;

    static Stream<EsServer> servers() {
        return EsServer.all();
    }

    private static Jobs.Result fetch(Map<String, String> env, String... args) {
        return Jobs.run(env, "fetch", Stream.concat(Stream.of("--run-id", "r1", "--data-interval-end", T0.toString()), Stream.of(args))
            .toArray(String[]::new));
    }

    private static void assertOneLineWithoutSecrets(Jobs.Result r) {
        assertEquals(1, r.errLines().size(), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r);
        for (String secret : List.of(SECRET, Base64.getEncoder().encodeToString(("elastic:" + SECRET).getBytes(StandardCharsets.UTF_8)))) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "a secret was printed: " + r);
        }
    }

    @Test
    void anUnreachableClusterExits3WithOneLineNamingTheUrls() throws IOException {
        String url = "http://127.0.0.1:" + freePort();
        var r = fetch(TestStore.file().env(), "--es-url", url, "--index", "items", "--es-retries", "2", "--es-retry-wait", "50ms");
        assertEquals(3, r.exit(), r.toString());
        assertOneLineWithoutSecrets(r);
        assertTrue(r.errLines().getFirst().contains(url) && r.err().contains("3 attempts"), r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aMissingIndexExits2WithOneLineNamingIt(EsServer server) {
        var r = fetch(TestStore.file().env(), "--es-url", server.url(), "--index", "no-such-index");
        assertEquals(2, r.exit(), r.toString());
        assertOneLineWithoutSecrets(r);
        assertTrue(r.err().contains("no-such-index") && r.err().contains("index_not_found_exception"), r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aBadQueryOrAnUnmappedUpdateFieldExits2NamingTheProblem(EsServer server) {
        try (EsIndex index = EsIndex.create(server)) {
            index.index(Fixtures.documents(0, 10, T0.minusSeconds(60), 2), true);
            var env = TestStore.file().env();
            var badQuery = fetch(env, "--es-url", index.url, "--index", index.name, "--query", "{\"term\":{\"updated_at\":\"not a date\"}}");
            assertEquals(2, badQuery.exit(), badQuery.toString());
            assertOneLineWithoutSecrets(badQuery);
            var unmapped = fetch(env, "--es-url", index.url, "--index", index.name, "--updated-field", "changed_at");
            assertEquals(2, unmapped.exit(), unmapped.toString());
            assertTrue(unmapped.err().contains("'changed_at'") && unmapped.err().contains(index.name), unmapped.toString());
            var notADate = fetch(env, "--es-url", index.url, "--index", index.name, "--updated-field", "id");
            assertEquals(2, notADate.exit(), notADate.toString());
            assertTrue(notADate.err().contains("mapped as keyword"), notADate.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void apiKeyBasicAndBearerCredentialsAreSentAndNeverPrinted(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server)) {
            index.index(Fixtures.documents(0, 10, T0.minusSeconds(60), 2), true);
            String encodedKey = Base64.getEncoder().encodeToString(("key-id:" + SECRET).getBytes(StandardCharsets.UTF_8));
            Path passwordFile = Files.writeString(Files.createTempFile("es-password", ".txt"), SECRET + "\n");
            record Case(String expectedHeader, Map<String, String> env, List<String> args) {}
            var cases = List.of(
                new Case("ApiKey " + encodedKey, Map.of(), List.of("--es-api-key", "key-id:" + SECRET)),
                new Case("ApiKey " + encodedKey, Map.of("SCORELINE_ES_API_KEY", encodedKey), List.of()),
                new Case("Basic " + Base64.getEncoder().encodeToString(("elastic:" + SECRET).getBytes(StandardCharsets.UTF_8)), Map.of(),
                    List.of("--es-username", "elastic", "--es-password-file", passwordFile.toString())),
                new Case("Bearer " + SECRET, Map.of("SCORELINE_ES_BEARER_TOKEN", SECRET), List.of()));
            for (Case c : cases) {
                try (var proxy = new EsProxy(index.url).requireAuthorization(c.expectedHeader())) {
                    var env = Jobs.env(TestStore.file().env());
                    env.putAll(c.env());
                    var args = Stream.concat(Stream.of("--es-url", proxy.url(), "--index", index.name), c.args().stream()).toArray(String[]::new);
                    var ok = fetch(env, args);
                    assertEquals(0, ok.exit(), c + ": " + ok);
                    assertTrue(ok.out().contains("fetched 10 documents"), ok.toString());
                    assertTrue(proxy.requests().stream().allMatch(r -> c.expectedHeader().equals(r.authorization()) && r.forwarded()),
                        "every request carries the credentials");
                    assertFalse(ok.err().contains(SECRET), "a secret was logged: " + ok);
                }
                try (var proxy = new EsProxy(index.url).requireAuthorization("Basic some-other-credentials")) {
                    var env = Jobs.env(TestStore.file().env());
                    env.putAll(c.env());
                    var args = Stream.concat(Stream.of("--es-url", proxy.url(), "--index", index.name), c.args().stream()).toArray(String[]::new);
                    var refused = fetch(env, args);
                    assertEquals(2, refused.exit(), "refused credentials are a configuration error: " + refused);
                    assertOneLineWithoutSecrets(refused);
                    assertTrue(refused.err().contains("401") && refused.err().contains("check the API key"), refused.toString());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void httpsWithTheCaCertificateOrItsFingerprint(EsServer server) throws Exception {
        try (EsIndex index = EsIndex.create(server); TlsProxy tls = TlsProxy.start(index.url)) {
            index.index(Fixtures.documents(0, 10, T0.minusSeconds(60), 2), true);
            var env = TestStore.file().env();
            String[] base = {"--es-url", tls.url, "--index", index.name, "--es-api-key", SECRET};

            var withCa = fetch(env, concat(base, "--es-ca-cert", tls.caPem.toString()));
            assertEquals(0, withCa.exit(), withCa.toString());
            assertTrue(withCa.out().contains("fetched 10 documents"), withCa.toString());
            assertFalse(withCa.err().contains(SECRET), withCa.toString());

            var withFingerprint = fetch(env, concat(base, "--es-ca-fingerprint", tls.caFingerprint()));
            assertEquals(0, withFingerprint.exit(), withFingerprint.toString());

            var untrusted = fetch(env, concat(base, "--es-retries", "0"));
            assertEquals(2, untrusted.exit(), "an untrusted certificate is a configuration error: " + untrusted);
            assertOneLineWithoutSecrets(untrusted);
            assertTrue(untrusted.err().contains("TLS"), untrusted.toString());

            var wrongFingerprint = fetch(env, concat(base, "--es-ca-fingerprint", "00".repeat(32)));
            assertEquals(2, wrongFingerprint.exit(), wrongFingerprint.toString());
        }
    }

    /** testenv/elasticsearch/start-tls-proxy.sh in front of a node, on a free port, in a work-dir of its own. */
    record TlsProxy(String url, Path caPem, Path workDir) implements AutoCloseable {
        static TlsProxy start(String backend) throws Exception {
            Path work = Files.createTempDirectory("scoreline-tls-");
            Process p = new ProcessBuilder(Jobs.ROOT.resolve("testenv/elasticsearch/start-tls-proxy.sh").toString(), backend,
                Integer.toString(freePort()), work.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, "start-tls-proxy.sh failed: " + out);
            String url = out.lines().filter(l -> l.startsWith("url=")).findFirst().orElseThrow().substring(4);
            Path ca = Path.of(out.lines().filter(l -> l.startsWith("ca=")).findFirst().orElseThrow().substring(3));
            return new TlsProxy(url, ca, work);
        }

        String caFingerprint() throws Exception {
            try (InputStream in = Files.newInputStream(caPem)) {
                byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            }
        }

        @Override
        public void close() throws Exception {
            new ProcessBuilder(Jobs.ROOT.resolve("testenv/elasticsearch/stop-tls-proxy.sh").toString(), workDir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
