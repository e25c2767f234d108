package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.it.FaultProxy.Mode;
import io.scoreline.it.FaultProxy.Request;
import io.scoreline.testkit.ItServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The outage suite: Elasticsearch and the S3 server go away, slow down or throttle (503) at an exact request of a run,
 * through {@link FaultProxy}s in front of the shared servers (which keep running). The pipeline is fetch from
 * Elasticsearch -> predict -> publish on S3, as the DAG runs it; a contract-following reader reads the real S3 server
 * all along. For each outage: the job it hits exits with the retryable code (3 source, 4 store) and one line, or
 * finishes when the outage only slows it; nothing half-written is visible; the fallback and the next run complete and
 * the next run publishes every document in its newest version; latest/ never goes back. Every log, alert and stored
 * object is scanned for the test credentials at the end.
 * <p>
 * {@code make test} runs the short form, S3 stopping as fetch writes (Elasticsearch failing mid-read is in make test through
 * {@link ElasticsearchFaultsTest}, S3 throttling a whole cycle through {@link FreshnessSimulationTest});
 * {@code -Dscoreline.outages=all} (scripts/faults.sh) runs every outage.
 * Each outage's row goes to target/outage-suite.tsv for the faults table.
 */
class OutageSuiteTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final boolean ALL = "all".equals(System.getProperty("scoreline.outages"));
    static final Duration SLOW = Duration.ofMillis(150);

    /**
     * One outage: which server, what it does, from which request of the faulted run, and the exit that run's job gives.
     * {@code at} gets the run id and selects the request the outage starts at.
     */
    record Outage(String name, String server, Mode mode, String job, Function<String, Predicate<Request>> at, int exit, boolean quick) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Outage> outages() {
        List<Outage> all = List.of(
            new Outage("Elasticsearch stops mid-read", "es", Mode.DOWN, "fetch", run -> nth(2, OutageSuiteTest::search), 3, false),
            new Outage("Elasticsearch answers 503 mid-read", "es", Mode.THROTTLE, "fetch", run -> nth(2, OutageSuiteTest::search), 3, false),
            new Outage("Elasticsearch slowed (150 ms a request)", "es", Mode.SLOW, "fetch", run -> r -> true, 0, false),
            new Outage("S3 stops as fetch writes its input", "s3", Mode.DOWN, "fetch", run -> r -> r.writes("runs/" + run + "/input"), 4, true),
            new Outage("S3 answers 503 SlowDown as predict writes", "s3", Mode.THROTTLE, "predict",
                run -> r -> r.writes("runs/" + run + "/predictions"), 4, false),
            new Outage("S3 stops as publish copies to latest/", "s3", Mode.DOWN, "publish", run -> r -> r.writes("latest/predictions"), 4, false),
            new Outage("S3 answers 503 SlowDown at latest/manifest.json", "s3", Mode.THROTTLE, "publish",
                run -> r -> r.writes("latest/manifest.json"), 4, false),
            new Outage("S3 stops after latest/, at the watermark", "s3", Mode.DOWN, "publish", run -> r -> r.writes("state/watermark"), 4, false),
            new Outage("S3 slowed (150 ms a request)", "s3", Mode.SLOW, "all", run -> r -> true, 0, false));
        return ALL ? all : all.stream().filter(Outage::quick).toList();
    }

    private static boolean search(Request r) {
        return r.target().startsWith("/_search");
    }

    /** The n-th request {@code selects} matches, counted from when the outage is armed. */
    private static Predicate<Request> nth(int n, Predicate<Request> selects) {
        AtomicInteger seen = new AtomicInteger();
        return r -> selects.test(r) && seen.incrementAndGet() == n;
    }

    @Test
    void outagesEndInARetryableExitAndTheNextRunPublishesEverything() throws Exception {
        String s3 = ItServers.s3();
        EsServer es = EsServer.es9();
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer hooks = webhookReceiver(alerts);
        List<String> rows = new ArrayList<>();
        try (EsIndex index = EsIndex.create(es); FaultProxy esProxy = FaultProxy.elasticsearch(index.url);
             FaultProxy s3Proxy = FaultProxy.s3(s3)) {
            TestStore real = TestStore.s3(s3);  // what the test and the reader see: the server itself
            String webhook = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hooks/" + TestSecrets.WEBHOOK_TOKEN;
            TestStore viaProxy = new TestStore("s3", real.uri(), Jobs.env(real.env(), "SCORELINE_S3_ENDPOINT", s3Proxy.url(),
                "SCORELINE_ALERT_WEBHOOK", webhook));
            Pipeline p = new Pipeline(viaProxy, "--es-url", esProxy.url(), "--index", index.name, "--page-size", "10",
                "--es-retries", "2", "--es-retry-wait", "50ms");
            int documents = 30;
            index.index(Fixtures.documents(0, documents, T0.minusSeconds(600), 2), true);
            p.cycle("run-0", T0);
            int published = 0;

            try (CrashSuiteTest.ContractReader reader = new CrashSuiteTest.ContractReader(real)) {
                reader.start();
                int run = 0, failures = 0;
                for (Outage outage : outages()) {
                    long started = System.nanoTime();
                    String faulted = "run-" + (++run);
                    Instant end = T0.plusSeconds(300L * run);
                    // new documents and new versions of old ones, more than two pages of --page-size
                    index.index(Fixtures.documents(documents, 20, end.minusSeconds(120), 3), false);
                    index.index(Fixtures.documents(0, 5, end.minusSeconds(110), 7 + run), true);
                    documents += 20;

                    FaultProxy proxy = outage.server().equals("es") ? esProxy : s3Proxy;
                    if (outage.mode() == Mode.SLOW) proxy.delay(SLOW).now(Mode.SLOW);
                    Jobs.Result failed = null;
                    for (String job : List.of("fetch", "predict", "publish")) {
                        if (outage.mode() != Mode.SLOW && job.equals(outage.job())) proxy.at(outage.at().apply(faulted), outage.mode());
                        Jobs.Result r = job.equals("fetch") ? p.fetch(faulted, end) : job.equals("predict") ? p.predict(faulted) : p.publish(faulted);
                        if (r.exit() != 0) {
                            failed = r;
                            assertEquals(outage.job(), job, outage + ": " + r);
                            break;
                        }
                    }
                    proxy.heal();
                    if (outage.exit() == 0) {
                        assertEquals(null, failed, outage + ": a slow server only slows the run");
                        published = run;
                    } else {
                        assertTrue(failed != null, outage + ": no job failed");
                        failures++;
                        assertEquals(outage.exit(), failed.exit(), outage + ": " + failed);
                        assertEquals(1, failed.errLines().size(), outage + ": one line: " + failed);
                        assertTrue(failed.err().lines().noneMatch(l -> l.startsWith("\tat ")), outage + ": no trace: " + failed);
                    }
                    reader.assertLatestIsOneOf(published, run);
                    assertNothingHalfWritten(real, outage);
                    if (failed != null) {
                        // the DAG, once the retries are spent: fallback (its own suites cover it; the short form saves
                        // the JVM), then the next scheduled run
                        if (ALL) {
                            var fallback = Jobs.run(viaProxy.env(), "publish", "fallback", "--run-id", faulted, "--reason", outage.name());
                            assertEquals(0, fallback.exit(), outage + ": fallback " + fallback);
                            reader.assertLatestIsOneOf(published, run);
                        }
                        String next = "run-" + (++run);
                        p.cycle(next, T0.plusSeconds(300L * run));
                        published = run;
                    }
                    assertEverythingPublished(real, "run-" + published, documents, end, outage);
                    reader.published(published);
                    rows.add(outage.name() + "\t" + outage.server() + "\t" + outage.mode() + "\t" + outage.job() + "\t"
                        + (failed == null ? 0 : failed.exit()) + "\t" + Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
                reader.stopAndAssert();
                assertTrue(alerts.size() >= failures, "every failed job alerted: " + failures + " failures, " + alerts);
                rows.add("reader\t\t\t" + reader.tornReads.get() + "\t" + reader.reads.get() + "\t" + reader.violations.size());
            }
            assertNoSecretStoredOrAlerted(real, alerts);
            rows.add("secrets\t\t\t\t" + alerts.size() + "\t" + real.list("").size());
        } finally {
            hooks.stop(0);
        }
        Path out = Jobs.ROOT.resolve("jobs/it/target/outage-suite.tsv");
        Files.createDirectories(out.getParent());
        Files.write(out, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every object the store holds is whole: every gzip file reads to its end, every JSON file parses. */
    static void assertNothingHalfWritten(TestStore store, Object context) throws IOException {
        try (ObjectStore objects = store.open()) {
            for (String key : objects.list("")) {
                if (key.startsWith("models/") && !key.endsWith(".json")) continue;
                String text = SecretsTest.readText(objects, key);  // a cut gzip stream throws here
                if (key.endsWith(".json")) Json.MAPPER.readTree(text);
                else for (String line : text.split("\n")) if (!line.isBlank()) Json.MAPPER.readTree(line);
            }
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(context + ": a stored object is not whole: " + e, e);
        }
    }

    /** latest/ serves {@code run}, holds every document once in its newest version, and matches its manifest. */
    private static void assertEverythingPublished(TestStore store, String run, int documents, Instant end, Outage outage) {
        JsonNode latest = Fixtures.json(store, Layout.LATEST_MANIFEST);
        assertEquals(run, latest.path("run_id").asText(), outage.toString());
        assertEquals(documents, latest.path("count").asLong(), outage + ": every document");
        assertEquals(latest.path("sha256").asText(), Fixtures.sha256(store, Layout.LATEST_PREDICTIONS), outage.toString());
        Map<String, JsonNode> records = Fixtures.records(store, latest.path("snapshot").asText());
        assertEquals(documents, records.size(), outage.toString());
        assertEquals(end.minusSeconds(110).toString(), records.get("cust-00000").path("updated_at").asText(),
            outage + ": the newest version of an updated document");
    }

    static void assertNoSecretStoredOrAlerted(TestStore store, List<String> alerts) throws IOException {
        for (String alert : alerts) assertEquals(List.of(), TestSecrets.foundIn(alert), alert);
        try (ObjectStore objects = store.open()) {
            for (String key : objects.list("")) {
                assertEquals(List.of(), TestSecrets.foundIn(SecretsTest.readText(objects, key)), "stored object " + key);
            }
        }
    }

    private static HttpServer webhookReceiver(List<String> alerts) throws IOException {
        HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hooks.start();
        return hooks;
    }
}
