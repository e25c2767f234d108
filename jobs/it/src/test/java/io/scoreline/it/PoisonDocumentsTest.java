package io.scoreline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.core.run.RunId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The poison suite, document side: hostile documents (a fixed corpus plus generated ones) beside good ones, through
 * the real jars. Each hostile document ends as a rejected record with a reason (or is a valid document after all and
 * is published); every good document is published; the next run is unaffected.
 * <p>
 * Generated cases: {@code -Dpoison.cases=N} (default 150 on the file store, a fifth of it on S3) and
 * {@code -Dpoison.seed=S} (default fixed, printed on failure) drive a longer run.
 */
class PoisonDocumentsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String AT = T0.minusSeconds(3600).toString();
    private static final int GOOD = 200;
    private static final long SEED = Long.getLong("poison.seed", 20261125L);
    private static final int CASES = Integer.getInteger("poison.cases", 150);

    @TempDir Path dir;  // the source: tens of MiB of hostile lines, removed after each store's run

    static Stream<TestStore> stores() {
        return TestStore.all();
    }

    /** The corpus: each line is one hostile document as raw bytes (no newline). */
    static List<byte[]> corpus() {
        String deep = "[".repeat(999) + "]".repeat(999);
        List<byte[]> c = new ArrayList<>(List.of(
            utf8("{\"id\":\"deep\",\"updated_at\":\"" + AT + "\",\"x\":" + deep + "}"),
            utf8("{\"id\":\"bad-\\ud800\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"bad-\\udc00x\",\"updated_at\":\"" + AT + "\"}"),
            concat(utf8("{\"id\":\"bad-"), new byte[] {(byte) 0xff}, utf8("\",\"updated_at\":\"" + AT + "\"}")),
            concat(utf8("{\"id\":\"bad-"), new byte[] {(byte) 0xfe}, utf8("\",\"updated_at\":\"" + AT + "\"}")),
            concat(utf8("{\"id\":\"bad-"), new byte[] {(byte) 0xc3}, utf8("\",\"updated_at\":\"" + AT + "\"}")),
            utf8("{\"id\":\"y1\",\"updated_at\":\"0001-01-01T00:00:00Z\"}"),
            utf8("{\"id\":\"y9999\",\"updated_at\":\"9999-12-31T23:59:59Z\"}"),
            utf8("{\"id\":\"y10000\",\"updated_at\":\"+10000-01-01T00:00:00Z\"}"),
            utf8("{\"id\":\"y1969\",\"updated_at\":\"1969-12-31T23:59:59Z\"}"),
            utf8("{\"id\":\"neg\",\"updated_at\":-5}"),
            utf8("{\"id\":\"odd-offset\",\"updated_at\":\"2026-11-25T08:00:00+18:00\"}"),
            utf8("{\"id\":\"huge-string\",\"updated_at\":\"" + AT + "\",\"s\":\"" + "x".repeat(21_000_000) + "\"}"),
            utf8("{\"id\":\"huge-number\",\"updated_at\":\"" + AT + "\",\"n\":" + "9".repeat(1001) + "}"),
            utf8("{\"id\":\"big-number\",\"updated_at\":\"" + AT + "\",\"tenure_months\":1e400}"),
            utf8("{\"id\":\"nan\",\"updated_at\":\"" + AT + "\",\"tenure_months\":NaN}"),
            utf8("{\"id\":\"inf\",\"updated_at\":\"" + AT + "\",\"tenure_months\":-Infinity}"),
            utf8("{\"id\":\"dup\",\"id\":\"dup2\",\"updated_at\":\"" + AT + "\"}"),
            utf8("\uFEFF{\"id\":\"bom\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"nul\u0000\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"nul\\u0000esc\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"ctl\\u0001\\u001f\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"ls\u2028ps\u2029\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"ls-esc\\u2028\",\"updated_at\":\"" + AT + "\",\"region\":\"a\u2029b\"}"),
            utf8("{\"id\":{\"a\":1},\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":[1],\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":true,\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"\",\"updated_at\":\"" + AT + "\"}"),
            utf8("{\"id\":\"t-obj\",\"updated_at\":{\"x\":1}}"),
            utf8("{\"id\":\"t-bool\",\"updated_at\":true}"),
            utf8("{\"id\":\"t-huge\",\"updated_at\":" + "9".repeat(30) + "}"),
            utf8("{\"id\":\"t-text\",\"updated_at\":\"yesterday\"}"),
            utf8("{\"id\":\"wrong-types\",\"updated_at\":\"" + AT + "\",\"tenure_months\":\"ten\",\"has_partner\":[]}"),
            utf8("{\"id\":\"truncated\",\"updated_at\":\"" + AT),
            utf8("[1,2,3]"),
            utf8("null"),
            utf8("\"just a string\""),
            utf8("{\"id\":\"long-line\",\"updated_at\":\"" + AT + "\",\"pad\":\"" + "p".repeat(40 << 20) + "\"}")));
        return c;
    }

    /** Random hostile documents: a good document cut, flipped, retyped, nested or spliced at random places. */
    static List<byte[]> generated(long seed, int count) {
        Random random = new Random(seed);
        String[] values = {"NaN", "-Infinity", "1e99999", "\"\\ud83d\"", "\"\\u2028\"", "null", "{}", "[[[[[[", "\"\u0000\"",
            "99999999999999999999999999", "\"0000-00-00T00:00:00Z\"", "\"2026-13-45T25:61:61Z\"", "true"};
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "gen-" + i;
            String doc = "{\"id\":\"" + id + "\",\"updated_at\":\"" + AT + "\",\"tenure_months\":" + random.nextInt(80)
                + ",\"region\":\"north\"}";
            byte[] bytes = utf8(doc);
            switch (random.nextInt(6)) {
                case 0 -> bytes = java.util.Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
                case 1 -> bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80));
                case 2 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(0x20);
                case 3 -> bytes = utf8(doc.replace("\"north\"", values[random.nextInt(values.length)]));
                case 4 -> bytes = utf8(doc.replace("\"" + AT + "\"", values[random.nextInt(values.length)]));
                default -> {
                    int depth = 900 + random.nextInt(200);
                    bytes = utf8(doc.replace("\"north\"", "[".repeat(depth) + "]".repeat(depth)));
                }
            }
            if (random.nextInt(10) == 0) bytes = concat(utf8("\uFEFF"), bytes);
            out.add(bytes);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} store")
    @MethodSource("stores")
    void hostileDocumentsAreRejectedWithAReasonAndNothingElseIsLost(TestStore store) throws Exception {
        Pipeline p = new Pipeline(store, "--source", dir.toString());
        int cases = store.kind().equals("file") ? CASES : Math.max(1, CASES / 5);
        String context = "seed " + SEED + ", " + cases + " generated cases, " + store + " store";

        List<byte[]> hostile = new ArrayList<>(corpus());
        hostile.addAll(generated(SEED, cases));
        // good documents interleaved with hostile ones; a good one on the line after each hostile one
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        String good = Fixtures.documents(0, GOOD, T0.minusSeconds(3600), 2);
        String[] goodLines = good.split("\n");
        for (int i = 0; i < Math.max(goodLines.length, hostile.size()); i++) {
            if (i < hostile.size()) mixed.writeBytes(hostile.get(i));
            mixed.write('\n');
            if (i < goodLines.length) mixed.writeBytes(utf8(goodLines[i] + "\n"));
        }
        Files.write(dir.resolve("a-mixed.ndjson"), mixed.toByteArray());
        Files.write(dir.resolve("b-empty.ndjson"), new byte[0]);
        Files.writeString(dir.resolve("c-crlf.ndjson"), Fixtures.documents(GOOD, 10, T0.minusSeconds(3600), 2).replace("\n", "\r\n"));
        Files.write(dir.resolve("d-garbage.ndjson.gz"), concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, utf8("not gzip at all")));
        Files.write(dir.resolve("e-cut.ndjson.gz"), cutGzip(Fixtures.documents(GOOD + 10, 10, T0.minusSeconds(3600), 2)));

        cycle(p, "run-1", T0, "--max-rejected-fraction", "1");

        FetchCounts fetch = FetchCounts.of(store, "run-1");
        assertEquals(fetch.read, fetch.output + fetch.rejected + fetch.duplicates + fetch.outOfWindow, context + ": every document counted");
        for (JsonNode r : Fixtures.lines(store, Layout.fetchRejected(RunId.parse("run-1")))) {
            assertFalse(r.path("reason").asText().isBlank(), context + ": a rejection without a reason: " + r);
        }
        JsonNode predict = Fixtures.json(store, Layout.manifest(RunId.parse("run-1"), "predict"));
        assertEquals(fetch.output, predict.path("scored").asLong() + predict.path("rejected").asLong(), context);
        for (JsonNode r : Fixtures.lines(store, Layout.rejected(RunId.parse("run-1")))) {
            assertFalse(r.path("reason").asText().isBlank(), context + ": a rejection without a reason: " + r);
        }

        tally(store, hostile.size(), fetch.rejected + predict.path("rejected").asLong());

        Map<String, JsonNode> latest = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
        for (int i = 0; i < GOOD + 10; i++) {
            assertTrue(latest.containsKey(String.format("cust-%05d", i)), context + ": good document cust-" + i + " was lost");
        }
        for (String refused : List.of("deep", "bad-\uFFFD", "y1", "y9999", "y10000", "y1969", "neg", "huge-string", "long-line",
                "dup", "dup2", "nul\u0000esc", "ctl\u0001\u001f")) {
            assertFalse(latest.containsKey(refused), context + ": " + refused + " was published");
        }
        assertTrue(latest.containsKey("bom"), context + ": a byte order mark before a line is not part of its document");
        assertEquals(Fixtures.json(store, Layout.LATEST_MANIFEST).path("count").asLong(), pythonLineCount(store), context
            + ": a line-splitting reader sees as many records as the manifest");

        // the next run is unaffected and keeps the default rejection threshold. A file source has no time query: it
        // would reject the same lines again, where Elasticsearch's window query leaves them behind; so they go here.
        for (String f : List.of("a-mixed.ndjson", "d-garbage.ndjson.gz", "e-cut.ndjson.gz")) Files.delete(dir.resolve(f));
        Files.writeString(dir.resolve("f-next.ndjson"), Fixtures.documents(GOOD + 20, 50, T0.plusSeconds(60), 2));
        cycle(p, "run-2", T0.plusSeconds(300));
        assertEquals(0, FetchCounts.of(store, "run-2").rejected, context);
        Map<String, JsonNode> next = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
        assertEquals(latest.size() + 50, next.size(), context);
    }

    /** A row of target/poison-suite.tsv for scripts/faults.sh's table: store, hostile lines, rejected documents. */
    private static void tally(TestStore store, int hostile, long rejected) throws java.io.IOException {
        Path out = Jobs.ROOT.resolve("jobs/it/target/poison-suite.tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, store.kind() + "\t" + hostile + "\t" + rejected + "\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static void cycle(Pipeline p, String run, Instant end, String... publishOptions) {
        for (Jobs.Result r : new Jobs.Result[] {p.fetch(run, end), p.predict(run), p.publish(run, publishOptions)}) {
            assertEquals(0, r.exit(), "seed " + SEED + ": " + r);
            assertTrue(r.toString().lines().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), r.toString());
        }
    }

    /** Lines as Python's str.splitlines counts them in the published file. */
    private static long pythonLineCount(TestStore store) throws Exception {
        byte[] gz = Fixtures.bytes(store, Layout.LATEST_PREDICTIONS);
        String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        return text.split("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]", -1).length - 1;
    }

    private record FetchCounts(long read, long output, long rejected, long duplicates, long outOfWindow) {
        static FetchCounts of(TestStore store, String run) {
            JsonNode m = Fixtures.json(store, Layout.manifest(RunId.parse(run), "fetch"));
            return new FetchCounts(m.path("read").asLong(), m.path("output").path("records").asLong(), m.path("rejected").asLong(),
                m.path("duplicates").asLong(), m.path("out_of_window").asLong());
        }
    }

    private static byte[] cutGzip(String text) throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(utf8(text));
        }
        return java.util.Arrays.copyOf(gz.toByteArray(), gz.size() - 5);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }
}
