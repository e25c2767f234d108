package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.records.Json;
import io.scoreline.core.run.Layout;
import io.scoreline.core.store.Digests;
import io.scoreline.core.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of fetch, predict, publish and fallback at seeded random points of their run (and, on the file store,
 * publish at its one deterministic delicate point: copy done, manifest not yet written), while a reader follows
 * docs/output-contract.md. After every kill: latest/ names the previous or the new run, its snapshot matches the
 * manifest, it never goes back; the retry completes; every document is in latest/ by the next publish.
 * {@code -Dscoreline.crash.kills=N} kills per store (default 8, for make test); {@code scripts/faults.sh} runs hundreds.
 * Each store's tally goes to target/crash-suite.tsv for the faults table.
 */
class CrashSuiteTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final int KILLS = Integer.getInteger("scoreline.crash.kills", 8);
    /** Kills of the same attempt before its retry may finish: cheap extra kills, each at a new random point. */
    static final int KILLS_PER_JOB = Integer.getInteger("scoreline.crash.kills-per-job", 2);
    static final long SEED = Long.getLong("scoreline.crash.seed", 13);
    static final List<String> JOBS = List.of("fetch", "predict", "publish", "fallback");

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void killedJobsNeverLeaveAWrongLatest(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store);
        Random random = new Random(SEED);
        Map<String, Long> lastMillis = new TreeMap<>(Map.of("fetch", 1500L, "predict", 1500L, "publish", 1500L, "fallback", 1000L));
        Map<String, int[]> tally = new TreeMap<>(); // "job\tphase" -> {kills, retries completed}
        int documents = 30;
        Fixtures.appendDocuments(p.source, 0, documents, T0.minusSeconds(60), 3);
        p.cycle("run-0", T0);
        int published = 0;

        try (ContractReader reader = new ContractReader(store)) {
            reader.start();
            for (int k = 0, run = 1; k < KILLS; run++) {
                String id = "run-" + run;
                Instant end = T0.plusSeconds(300L * run);
                Fixtures.appendDocuments(p.source, documents, 10, end.minusSeconds(120), 3);
                documents += 10;
                String victim = JOBS.get(run % JOBS.size());
                boolean atManifest = victim.equals("publish") && store.kind().equals("file") && run % 8 == 2;
                for (String job : victim.equals("fallback") ? List.of("fetch", "fallback") : List.of("fetch", "predict", "publish")) {
                    String[] args = args(p, job, id, end);
                    if (job.equals(victim)) {
                        String phase = atManifest ? "after copy, before manifest" : "random delay";
                        boolean killed = false;
                        for (int attempt = 0; attempt < (atManifest ? 1 : KILLS_PER_JOB); attempt++) {
                            boolean kill = atManifest ? killBeforeManifest(store, args) : killAfter(store, job, args,
                                (long) (random.nextDouble() * lastMillis.get(job)));
                            if (!kill) continue;
                            killed = true;
                            k++;
                            tally.computeIfAbsent(job + "\t" + phase, x -> new int[2])[0]++;
                            reader.assertLatestIsOneOf(published, run);
                        }
                        Jobs.Result retry = Jobs.run(store.env(), jar(job), args);
                        assertEquals(0, retry.exit(), job + " retry after a kill: " + retry);
                        if (killed) tally.get(job + "\t" + phase)[1]++;
                    } else {
                        long started = System.nanoTime();
                        Jobs.Result r = Jobs.run(store.env(), jar(job), args);
                        assertEquals(0, r.exit(), r.toString());
                        lastMillis.put(job, Math.max(100, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
                    }
                }
                JsonNode latest = Fixtures.json(store, Layout.LATEST_MANIFEST);
                if (victim.equals("fallback")) {
                    assertTrue(latest.path("stale").asBoolean(), "the failed run is flagged");
                    assertEquals("run-" + published, latest.path("run_id").asText(), "fallback keeps what is published");
                } else {
                    published = run;
                    assertEquals(id, latest.path("run_id").asText());
                    assertEquals(documents, latest.path("count").asLong(), "every document lands within two runs");
                    assertEquals(latest.path("sha256").asText(), Fixtures.sha256(store, Layout.LATEST_PREDICTIONS));
                }
                reader.published(published);
            }
            reader.stopAndAssert();
            writeTally(store.kind(), tally, reader);
        }
    }

    /** The arguments of a job (fallback included) for run {@code id}, as the crash suites start it. */
    static String[] args(Pipeline p, String job, String id, Instant end) {
        return switch (job) {
            case "fetch" -> p.fetchArgs(id, end);
            case "predict" -> new String[] {"--run-id", id, "--model", "churn"};
            case "publish" -> new String[] {"--run-id", id};
            default -> new String[] {"fallback", "--run-id", id, "--reason", "predict failed (crash suite)"};
        };
    }

    private static String jar(String job) {
        return job.equals("fallback") ? "publish" : job;
    }

    /** Starts the job, SIGKILLs it after the delay; false if it had already finished (no kill happened). */
    private static boolean killAfter(TestStore store, String job, String[] args, long delayMillis) throws Exception {
        Process process = Jobs.start(store.env(), jar(job), args);
        process.getInputStream().close();
        process.getErrorStream().close();
        if (process.waitFor(delayMillis, TimeUnit.MILLISECONDS)) return false;
        process.destroyForcibly();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return true;
    }

    /** Holds the file store's conditional-write lock, so publish stops right before its manifest write, and kills it there. */
    private static boolean killBeforeManifest(TestStore store, String[] args) throws Exception {
        Path root = Path.of(store.uri());
        try (FileChannel channel = FileChannel.open(root.resolve(".scoreline.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            Process process = Jobs.start(store.env(), "publish", args);
            process.getInputStream().close();
            Path manifest = root.resolve(Layout.snapshotManifest(io.scoreline.core.run.RunId.parse(args[1])));
            while (process.isAlive()) {
                if (Files.exists(manifest) && Files.exists(root.resolve(Layout.LATEST_PREDICTIONS))) {
                    String sha = Json.MAPPER.readTree(manifest.toFile()).path("snapshot").path("sha256").asText();
                    if (sha.equals(Digests.sha256Hex(Files.readAllBytes(root.resolve(Layout.LATEST_PREDICTIONS))))) break;
                }
                Thread.sleep(20);
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            return true;
        }
    }

    private static void writeTally(String store, Map<String, int[]> tally, ContractReader reader) throws IOException {
        Path out = Jobs.ROOT.resolve("jobs/it/target/crash-suite.tsv");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>();
        tally.forEach((key, v) -> lines.add(store + "\t" + key + "\t" + v[0] + "\t" + v[1]));
        lines.add(store + "\treader\treads\t" + reader.reads.get() + "\t" + reader.violations.size());
        lines.add(store + "\treader\ttorn by the test server (reread)\t" + reader.tornReads.get() + "\t0");
        Files.write(out, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * A backend reader that follows docs/output-contract.md: read the manifest, then the snapshot it names, check its
     * sha256 and count. It records a violation for a mismatch, an unreadable snapshot, or a run older than one published.
     */
    static final class ContractReader implements AutoCloseable {
        final AtomicLong reads = new AtomicLong();
        /** Reads the test S3 server returned cut and a second read cured (see {@link #readOnce(ObjectStore)}). */
        final AtomicLong tornReads = new AtomicLong();
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        private final TestStore store;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int published;

        ContractReader(TestStore store) {
            this.store = store;
            this.thread = new Thread(this::loop, "contract-reader");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void published(int run) {
            published = run;
        }

        private void loop() {
            try (ObjectStore s = store.open()) {
                while (running) {
                    readOnce(s);
                    Thread.sleep(25);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * A read that fails to parse is read again once: S3Mock (the test S3 server) overwrites an object in place, so a
         * GET racing a PUT of the same key can return it cut, which S3 itself never does (a PUT is atomic). Such reads
         * are counted apart; one that a second read does not cure is a violation.
         */
        private void readOnce(ObjectStore s) {
            List<String> found = new ArrayList<>();
            if (readOnce(s, found) || found.isEmpty()) {
                violations.addAll(found);
                return;
            }
            List<String> again = new ArrayList<>();
            readOnce(s, again);
            if (again.isEmpty()) tornReads.incrementAndGet();
            violations.addAll(again);
        }

        /** One read; true when it parsed (its findings are then final), false when it could not. */
        private boolean readOnce(ObjectStore s, List<String> findings) {
            int floor = published;
            try {
                var versioned = s.read(Layout.LATEST_MANIFEST, 1 << 20);
                if (versioned.isEmpty()) return true;
                JsonNode m = Json.MAPPER.readTree(versioned.get().bytes());
                byte[] snapshot;
                try (InputStream in = s.open(m.path("snapshot").asText())) {
                    snapshot = in.readAllBytes();
                }
                long lines;
                try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(snapshot))) {
                    lines = new String(gz.readAllBytes(), StandardCharsets.UTF_8).lines().count();
                }
                reads.incrementAndGet();
                int run = Integer.parseInt(m.path("run_id").asText().substring("run-".length()));
                if (!Digests.sha256Hex(snapshot).equals(m.path("sha256").asText())) findings.add("sha256 differs: " + m);
                if (lines != m.path("count").asLong()) findings.add("count differs: " + lines + " lines, " + m);
                if (run < floor) findings.add("older than published run-" + floor + ": " + m);
                return true;
            } catch (IOException | RuntimeException e) {
                findings.add("unreadable: " + e);
                return false;
            }
        }

        /** Right after a kill: latest/ is the previous or the new run and matches its manifest. */
        void assertLatestIsOneOf(int previous, int next) {
            JsonNode m = Fixtures.json(store, Layout.LATEST_MANIFEST);
            String run = m.path("run_id").asText();
            assertTrue(run.equals("run-" + previous) || run.equals("run-" + next), "after a kill latest/ serves " + run);
            assertEquals(m.path("sha256").asText(), Fixtures.sha256(store, m.path("snapshot").asText()));
            assertEquals(m.path("count").asLong(), Fixtures.lines(store, m.path("snapshot").asText()).size());
        }

        void stopAndAssert() throws InterruptedException {
            running = false;
            thread.join(30_000);
            assertTrue(reads.get() > 0, "the reader read something");
            assertEquals(List.of(), violations, "reader violations");
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(30_000);
        }
    }
}
