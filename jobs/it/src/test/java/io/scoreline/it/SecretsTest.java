package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.scoreline.core.store.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test credentials never reach a log, an alert or a stored object: a cycle with the S3 secret key, an alert
 * webhook whose URL holds a token, then failures that alert (a missing model, a refused publish), and a scan of
 * everything the jobs printed (checked by {@link Jobs#run} for every job of every suite), posted and stored.
 */
class SecretsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void noCredentialInAlertsOrStoredObjects(TestStore store) throws Exception {
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", exchange -> {
            alerts.add(exchange.getRequestURI() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hooks.start();
        try {
            String webhook = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hooks/" + TestSecrets.WEBHOOK_TOKEN;
            Pipeline p = new Pipeline(new TestStore(store.kind(), store.uri(),
                Jobs.env(store.env(), "SCORELINE_ALERT_WEBHOOK", webhook)));
            Fixtures.appendDocuments(p.source, 0, 50, T0.minusSeconds(60), 3);
            p.cycle("run-1", T0);
            Fixtures.appendDocuments(p.source, 40, 30, T0.plusSeconds(200), 4);
            assertEquals(0, p.fetch("run-2", T0.plusSeconds(300)).exit());
            assertEquals(5, Jobs.run(p.store.env(), "predict", "--run-id", "run-2", "--model", "no-such-model").exit());
            assertEquals(2, p.publish("run-2").exit(), "predict has not written the run: a previous job has not run");
            assertEquals(0, Jobs.run(p.store.env(), "publish", "fallback", "--run-id", "run-2", "--reason", "predict failed").exit());

            assertTrue(alerts.size() >= 2, "the failures alerted: " + alerts);
            for (String alert : alerts) {
                assertTrue(alert.startsWith("/hooks/"), alert);
                String body = alert.substring(alert.indexOf(' ') + 1);
                assertEquals(List.of(), TestSecrets.foundIn(body), body);
            }
            int scanned = 0;
            try (ObjectStore objects = store.open()) {
                for (String key : objects.list("")) {
                    String text = readText(objects, key);
                    assertEquals(List.of(), TestSecrets.foundIn(text), "stored object " + key);
                    scanned++;
                }
            }
            assertTrue(scanned >= 10, "the scan read the store: " + scanned + " objects");
        } finally {
            hooks.stop(0);
        }
    }

    @Test
    void verboseShowsEverySettingAndWhereItCameFromWithSecretsOnlyAsSet() {
        var r = Jobs.run(TestStore.file().env(), "fetch", "--run-id", "r", "--es-url", "http://127.0.0.1:9", "--index", "items",
            "--es-api-key", TestSecrets.ES_SECRET, "--es-retries", "0", "--verbose");
        assertEquals(3, r.exit(), r.toString());
        String settings = r.err().lines().filter(l -> l.contains(" DEBUG JobRunner - settings: ")).findFirst().orElse("");
        assertTrue(settings.contains("--es-api-key=(set) (flag)") && settings.contains("--index=items (flag)")
            && settings.contains("--store=") && settings.contains("(SCORELINE_STORE)"), r.toString());
        assertTrue(r.err().contains("\tat "), "--verbose shows the stack trace: " + r);
    }

    @Test
    void theScanFindsPlantedSecrets() {
        assertFalse(TestSecrets.foundIn("x Authorization: ApiKey " + TestSecrets.base64("key-id:" + TestSecrets.ES_SECRET)).isEmpty());
        assertFalse(TestSecrets.foundIn("https://hooks/" + TestSecrets.WEBHOOK_TOKEN).isEmpty());
        assertFalse(TestSecrets.foundIn("aws_secret_access_key=" + TestSecrets.S3_SECRET_KEY).isEmpty());
        assertEquals(List.of(), TestSecrets.foundIn("sl-it-s3-secret (a prefix alone is no leak)"));
    }

    static String readText(ObjectStore store, String key) throws IOException {
        byte[] bytes;
        try (InputStream in = store.open(key)) {
            bytes = in.readAllBytes();
        }
        if (key.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
