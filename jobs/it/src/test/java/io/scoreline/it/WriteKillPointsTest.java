package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.it.FaultProxy.Mode;
import io.scoreline.it.FaultProxy.Request;
import io.scoreline.testkit.ItServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Deterministic kill points without a hook in the jobs: on the S3 store, behind a {@link FaultProxy}, the proxy holds a
 * job's n-th write request unanswered and the test kills the job (kill -9) right there, so the job dies after its
 * (n-1)-th write and before its n-th, for every n of fetch, predict and publish. A healthy cycle first counts each
 * job's writes. After every kill: latest/ is the previous or the new run and matches its manifest, every stored object
 * is whole; the retry completes and the run publishes every document. No stored object holds a test credential.
 * <p>
 * {@code -Dscoreline.killpoints=all} (scripts/faults.sh) kills every job before each of its writes;
 * {@code -Dscoreline.killpoints=manifest} only publish before latest/manifest.json. Without the property the test is
 * skipped: {@code make test} kills publish at that point on the file store already ({@link CrashSuiteTest}), and its
 * time budget is spent on {@link OutageSuiteTest}. Rows go to target/kill-points.tsv.
 */
class WriteKillPointsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String POINTS = System.getProperty("scoreline.killpoints");
    static final boolean ALL = "all".equals(POINTS);
    static final List<String> JOBS = List.of("fetch", "predict", "publish");

    private static boolean write(Request r) {
        return r.method().equals("PUT") || r.method().equals("POST") || r.method().equals("DELETE");
    }

    @Test
    void aJobKilledAfterAnyOfItsWritesLeavesAConsistentStoreAndItsRetryCompletes() throws Exception {
        assumeTrue(POINTS != null, "-Dscoreline.killpoints=all|manifest is not set: make faults runs this suite");
        String s3 = ItServers.s3();
        List<String> rows = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.s3(s3)) {
            TestStore real = TestStore.s3(s3);
            TestStore viaProxy = new TestStore("s3", real.uri(), Jobs.env(real.env(), "SCORELINE_S3_ENDPOINT", proxy.url()));
            Pipeline p = new Pipeline(viaProxy);
            int documents = 30;
            Fixtures.appendDocuments(p.source, 0, documents, T0.minusSeconds(60), 3);

            // a healthy cycle: which writes each job makes, in order
            Map<String, List<String>> writes = new LinkedHashMap<>();
            for (String job : JOBS) {
                int before = proxy.requests().size();
                assertEquals(0, run(p, job, "run-0", T0).exit());
                writes.put(job, proxy.requests().subList(before, proxy.requests().size()).stream().filter(WriteKillPointsTest::write)
                    .map(r -> r.method() + " " + key(r.target(), real.uri())).toList());
            }
            int published = 0;
            int run = 0;
            for (String job : JOBS) {
                List<String> points = writes.get(job);
                for (int n = 1; n <= points.size(); n++) {
                    String point = points.get(n - 1);
                    if (!ALL && !point.contains(Layout.LATEST_MANIFEST)) continue;
                    long started = System.nanoTime();
                    String id = "run-" + (++run);
                    Instant end = T0.plusSeconds(300L * run);
                    Fixtures.appendDocuments(p.source, documents, 10, end.minusSeconds(120), 3);
                    documents += 10;
                    for (String j : JOBS) {
                        if (j.equals(job)) {
                            killBeforeWrite(proxy, n, p, j, id, end, point);
                            CrashSuiteTest.ContractReader check = new CrashSuiteTest.ContractReader(real);
                            check.assertLatestIsOneOf(published, run);
                            OutageSuiteTest.assertNothingHalfWritten(real, job + " killed before " + point);
                        }
                        Jobs.Result r = run(p, j, id, end);
                        assertEquals(0, r.exit(), j + " after a kill of " + job + " before " + point + ": " + r);
                    }
                    published = run;
                    JsonNode latest = Fixtures.json(real, Layout.LATEST_MANIFEST);
                    assertEquals(id, latest.path("run_id").asText());
                    assertEquals(documents, latest.path("count").asLong(), "every document, after a kill of " + job + " before " + point);
                    assertEquals(latest.path("sha256").asText(), Fixtures.sha256(real, Layout.LATEST_PREDICTIONS));
                    rows.add(job + "\t" + n + "\t" + point + "\t" + Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
            }
            assertTrue(!rows.isEmpty(), "no kill point was reached: " + writes);
            OutageSuiteTest.assertNoSecretStoredOrAlerted(real, List.of());
        }
        Path out = Jobs.ROOT.resolve("jobs/it/target/kill-points.tsv");
        Files.createDirectories(out.getParent());
        Files.write(out, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Starts the job with the proxy holding its n-th write, kills it once the write is held, then heals the proxy. */
    private static void killBeforeWrite(FaultProxy proxy, int n, Pipeline p, String job, String id, Instant end, String point)
            throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Predicate<Request> nthWrite = r -> write(r) && seen.incrementAndGet() == n;
        proxy.at(nthWrite, Mode.HOLD);
        Process process = Jobs.start(p.store.env(), job, CrashSuiteTest.args(p, job, id, end));
        process.getInputStream().close();
        process.getErrorStream().close();
        try {
            assertTrue(proxy.awaitHeld(Duration.ofMinutes(2)), job + " never reached its write " + point);
        } finally {
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            proxy.heal();
        }
    }

    private static Jobs.Result run(Pipeline p, String job, String id, Instant end) {
        return Jobs.run(p.store.env(), job, CrashSuiteTest.args(p, job, id, end));
    }

    /** The store key a request writes, without the bucket, the test's prefix and the query: "latest/manifest.json". */
    private static String key(String target, String storeUri) {
        String path = target.split("\\?")[0];
        String prefix = storeUri.substring("s3://".length()) + "/";
        int at = path.indexOf(prefix);
        return (at < 0 ? path : path.substring(at + prefix.length())).replace("runs/run-0/", "runs/<run>/");
    }
}
