package io.scoreline.it;

import static io.scoreline.it.EsProxy.CLOSE_PIT;
import static io.scoreline.it.EsProxy.OPEN_PIT;
import static io.scoreline.it.EsProxy.SEARCH;
import static io.scoreline.it.EsProxy.from;
import static io.scoreline.it.EsProxy.nth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreline.core.run.Layout;
import io.scoreline.it.EsProxy.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transient failures of a real Elasticsearch node, injected by {@link EsProxy} in front of it: answers a busy node or a
 * load balancer gives (429, 502, 503, 504), a node going away mid-answer, an answer later than --request-timeout. fetch
 * retries them with backoff and still returns exactly the documents indexed, each once; when the failure outlasts the
 * retries it exits 3 with one line, and the next run reads what this one could not.
 */
class ElasticsearchFaultsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String SECRET = TestSecrets.ES_SECRET;
    static final int PAGE = 100;
    /** 1,000 documents, 300 of them updated once: 10 full pages of 100, and the empty page that ends the read. */
    static final int PAGES = 11;

    /** Where the server's major version matters (its REST dialect, its error bodies): both. */
    static Stream<EsServer> servers() {
        return EsServer.all();
    }

    /** Where only the connection misbehaves, one major is enough. */
    private static EsServer es9() {
        return EsServer.es9();
    }

    /** Indexes the documents and returns what a fetch must write: id -> "updated_at tenure" of the newest version. */
    private static Map<String, String> indexDocuments(EsIndex index) {
        index.index(Fixtures.documents(0, 700, T0.minusSeconds(3600), 2), false);
        index.index(Fixtures.documents(700, 300, T0.minusSeconds(1200), 4), false);
        index.index(Fixtures.documents(0, 300, T0.minusSeconds(600), 9), true);  // new versions of cust-00000 … cust-00299
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            String version = i < 300 ? T0.minusSeconds(600) + " 9" : i < 700 ? T0.minusSeconds(3600) + " 2" : T0.minusSeconds(1200) + " 4";
            expected.put("cust-%05d".formatted(i), version);
        }
        return expected;
    }

    /** The run wrote exactly the expected documents, each once, in its newest version; a failure names the differences. */
    private static void assertFetched(Map<String, String> expected, TestStore store, String run) {
        Map<String, String> actual = fetched(store, run);
        if (actual.equals(expected)) return;
        var missing = expected.keySet().stream().filter(id -> !actual.containsKey(id)).limit(5).toList();
        var extra = actual.keySet().stream().filter(id -> !expected.containsKey(id)).limit(5).toList();
        var changed = expected.keySet().stream().filter(id -> actual.containsKey(id) && !actual.get(id).equals(expected.get(id)))
            .limit(5).map(id -> id + ": " + actual.get(id) + " instead of " + expected.get(id)).toList();
        throw new AssertionError("%d documents instead of %d; missing %s, unexpected %s, wrong version %s"
            .formatted(actual.size(), expected.size(), missing, extra, changed));
    }

    /** What the run wrote, as {@link #indexDocuments} describes it; a document written twice fails here. */
    private static Map<String, String> fetched(TestStore store, String run) {
        Map<String, String> byId = new TreeMap<>();
        for (JsonNode record : Fixtures.lines(store, "runs/" + run + "/input.ndjson.gz")) {
            String before = byId.put(record.path("id").asText(), record.path("updated_at").asText() + " " + record.path("features").path("tenure_months").asInt());
            assertEquals(null, before, "written twice: " + record);
        }
        return byId;
    }

    private static Jobs.Result fetch(TestStore store, String run, String urls, EsIndex index, String... extra) {
        var args = Stream.concat(Stream.of("--run-id", run, "--data-interval-end", T0.toString(), "--es-url", urls, "--index", index.name,
            "--page-size", Integer.toString(PAGE), "--es-retries", "3", "--es-retry-wait", "50ms"), Stream.of(extra));
        return Jobs.run(store.env(), "fetch", args.toArray(String[]::new));
    }

    private static List<String> retryLines(Jobs.Result r) {
        return r.err().lines().filter(l -> l.contains("; retry ")).toList();
    }

    /** Every failed request was sent again unchanged (same page, same search_after), and every page was read once. */
    private static void assertEachFailureRetriedUnchanged(List<EsProxy.Request> requests, int pages) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).forwarded()) continue;
            assertTrue(i + 1 < requests.size(), "the last request failed and was not retried: " + requests.get(i));
            assertEquals(requests.get(i).body(), requests.get(i + 1).body(), "retried unchanged: " + requests.get(i).outcome());
        }
        List<String> read = requests.stream().filter(EsProxy.Request::forwarded).map(EsProxy.Request::body).toList();
        assertEquals(pages, read.size(), "pages read");
        assertEquals(pages, new HashSet<>(read).size(), "no page read twice");
    }

    private static void assertNoTraceNorSecret(Jobs.Result r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), "no stack trace: " + r);
        String apiKey = Base64.getEncoder().encodeToString(("key-id:" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertFalse(r.err().contains(SECRET) || r.err().contains(apiKey) || r.out().contains(SECRET), "a secret was printed: " + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void busyNodesAndGatewaysAreRetriedWithBackoffAndNoDocumentIsLostOrDuplicated(EsServer server) throws Exception {
        TestStore store = TestStore.file();
        String authorization = "ApiKey " + Base64.getEncoder().encodeToString(("key-id:" + SECRET).getBytes(StandardCharsets.UTF_8));
        try (EsIndex index = EsIndex.create(server); var proxy = new EsProxy(index.url).requireAuthorization(authorization)
                .on(OPEN_PIT, nth(1), Fault.UNAVAILABLE)
                .on(SEARCH, nth(2, 3), Fault.REJECTED)  // the same page twice: the second wait is twice as long
                .on(SEARCH, nth(6), Fault.BAD_GATEWAY)
                .on(SEARCH, nth(8), Fault.UNAVAILABLE)
                .on(SEARCH, nth(PAGES + 4), Fault.GATEWAY_TIMEOUT)) {  // the empty last page
            Map<String, String> expected = indexDocuments(index);

            var r = fetch(store, "r1", proxy.url(), index, "--es-api-key", "key-id:" + SECRET);
            assertEquals(0, r.exit(), r.toString());
            assertFetched(expected, store, "r1");
            assertTrue(r.out().contains("fetched 1000 documents"), r.toString());

            List<EsProxy.Request> searches = proxy.requests(SEARCH);
            assertEquals(PAGES + 5, searches.size(), "each page once, and five retries");
            assertEachFailureRetriedUnchanged(searches, PAGES);
            assertEquals(List.of("503 search_phase_execution_exception", "forwarded"), proxy.requests(OPEN_PIT).stream().map(EsProxy.Request::outcome).toList());
            assertEquals(1, proxy.requests(CLOSE_PIT).size(), "the point-in-time is closed once");
            assertTrue(proxy.requests().stream().allMatch(q -> authorization.equals(q.authorization())), "every request carried the API key");
            long backoff = searches.get(2).atNanos() - searches.get(1).atNanos();
            long doubled = searches.get(3).atNanos() - searches.get(2).atNanos();
            assertTrue(backoff >= 50_000_000 && doubled >= 100_000_000, "waits of 50 and 100 ms: " + backoff + ", " + doubled + " ns");

            List<String> retries = retryLines(r);
            assertEquals(6, retries.size(), r.toString());
            assertTrue(retries.get(0).contains("open a point-in-time") && retries.get(0).contains("503")
                && retries.get(0).contains("retry 1/3 in 50 ms"), retries.toString());
            assertTrue(retries.get(1).contains("429") && retries.get(1).contains("es_rejected_execution_exception")
                && retries.get(1).contains("retry 1/3 in 50 ms"), retries.toString());
            assertTrue(retries.get(2).contains("429") && retries.get(2).contains("retry 2/3 in 100 ms"), retries.toString());
            assertTrue(retries.get(3).contains("502") && retries.get(4).contains("503") && retries.get(5).contains("504"), retries.toString());
            assertTrue(retries.stream().allMatch(l -> l.contains("read a page of slice 0") || l.contains("point-in-time")), retries.toString());
            assertEquals(List.of(), r.errLines(), "nothing but log lines");
            assertNoTraceNorSecret(r);
        }
    }

    @Test
    void aConnectionLostBeforeOrDuringAnAnswerIsRetried() throws Exception {
        TestStore store = TestStore.file();
        try (EsIndex index = EsIndex.create(es9()); var proxy = new EsProxy(index.url)
                .on(SEARCH, nth(2), Fault.cutAfter(300))
                .on(SEARCH, nth(3), Fault.cutAfter(20))  // in the head of the body
                .on(SEARCH, nth(5), Fault.CLOSED_BEFORE_ANSWER)) {
            Map<String, String> expected = indexDocuments(index);

            var r = fetch(store, "r1", proxy.url(), index);
            assertEquals(0, r.exit(), r.toString());
            assertFetched(expected, store, "r1");
            List<EsProxy.Request> searches = proxy.requests(SEARCH);
            assertEquals(PAGES + 3, searches.size());
            assertEachFailureRetriedUnchanged(searches, PAGES);
            List<String> retries = retryLines(r);
            assertEquals(3, retries.size(), r.toString());
            assertTrue(retries.get(0).contains("Premature end of Content-Length delimited message body (expected: ")
                && retries.get(0).contains("received: 300)") && retries.get(0).contains("retry 1/3 in 50 ms"), retries.toString());
            assertTrue(retries.get(1).contains("received: 20)") && retries.get(1).contains("retry 2/3 in 100 ms"), retries.toString());
            assertTrue(retries.get(2).contains("Connection closed by peer") && retries.get(2).contains("retry 1/3"), retries.toString());
            assertEquals(List.of(), r.errLines(), "nothing but log lines");
            assertNoTraceNorSecret(r);
        }
    }

    @Test
    void anAnswerLaterThanTheRequestTimeoutIsRetried() throws Exception {
        TestStore store = TestStore.file();
        try (EsIndex index = EsIndex.create(es9()); var proxy = new EsProxy(index.url)
                .on(OPEN_PIT, nth(1), Fault.late(Duration.ofSeconds(3)))
                .on(SEARCH, nth(4), Fault.late(Duration.ofSeconds(3)))) {
            Map<String, String> expected = indexDocuments(index);

            var r = fetch(store, "r1", proxy.url(), index, "--request-timeout", "1500ms");
            assertEquals(0, r.exit(), r.toString());
            assertFetched(expected, store, "r1");
            assertEachFailureRetriedUnchanged(proxy.requests(SEARCH), PAGES);
            assertEquals(2, proxy.requests(OPEN_PIT).size());
            List<String> retries = retryLines(r);
            assertEquals(2, retries.size(), r.toString());
            assertTrue(retries.stream().allMatch(l -> l.contains(": timed out; retry 1/3")), retries.toString());
            assertNoTraceNorSecret(r);
        }
    }

    @Test
    void withTwoNodesFetchContinuesOnTheHealthyOneWhenTheOtherGoesAway() throws Exception {
        TestStore store = TestStore.file();
        try (EsIndex index = EsIndex.create(es9());
             var dying = new EsProxy(index.url).on(SEARCH, from(1), Fault.cutAfter(300));
             var healthy = new EsProxy(index.url)) {
            Map<String, String> expected = indexDocuments(index);

            var r = fetch(store, "r1", dying.url() + "," + healthy.url(), index);
            assertEquals(0, r.exit(), r.toString());
            assertFetched(expected, store, "r1");
            List<EsProxy.Request> cut = dying.requests(SEARCH);
            assertEquals(1, cut.size(), "a node that failed is left alone for a while: " + cut);
            assertEachFailureRetriedUnchanged(healthy.requests(SEARCH), PAGES);
            assertTrue(healthy.requests(SEARCH).stream().anyMatch(q -> q.body().equals(cut.getFirst().body())), "the cut page was read on the other node");
            assertEquals(List.of(), retryLines(r), "the client moved on to the other node at once, without spending a retry");
            assertTrue(r.err().contains("Elasticsearch node " + dying.url() + " failed; the next request goes to another node"), r.err());
            assertNoTraceNorSecret(r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void slicesRetryTheirOwnPagesAndTogetherReturnTheExactSet(EsServer server) throws Exception {
        TestStore store = TestStore.file();
        Predicate<EsProxy.Request> slice0 = EsProxy.searchOfSlice(0);
        Predicate<EsProxy.Request> slice1 = EsProxy.searchOfSlice(1);
        try (EsIndex index = EsIndex.create(server); var proxy = new EsProxy(index.url)
                .on(slice1, nth(1), Fault.REJECTED)
                .on(slice1, nth(3), Fault.cutAfter(300))
                .on(slice1, nth(4), Fault.UNAVAILABLE)
                .on(slice1, nth(6), Fault.BAD_GATEWAY)) {
            Map<String, String> expected = indexDocuments(index);

            var r = fetch(store, "r1", proxy.url(), index, "--slices", "2");
            assertEquals(0, r.exit(), r.toString());
            assertFetched(expected, store, "r1");
            List<EsProxy.Request> first = proxy.requests(slice0);
            List<EsProxy.Request> second = proxy.requests(slice1);
            assertEquals(proxy.requests(SEARCH).size(), first.size() + second.size(), "every search reads one of the two slices");
            assertTrue(first.stream().allMatch(EsProxy.Request::forwarded), "slice 0 saw no fault");
            assertEachFailureRetriedUnchanged(first, first.size());
            assertEachFailureRetriedUnchanged(second, second.size() - 4);
            assertEquals(4, retryLines(r).size(), r.toString());
            assertTrue(retryLines(r).stream().allMatch(l -> l.contains("read a page of slice 1")), r.toString());
            assertNoTraceNorSecret(r);
        }
    }

    @Test
    void aNodeAwayLongerThanTheRetriesExits3WithOneLineAndTheNextRunReadsEverything() throws Exception {
        TestStore store = TestStore.file();
        try (EsIndex index = EsIndex.create(es9()); var proxy = new EsProxy(index.url).on(SEARCH, from(3), Fault.cutAfter(300))) {
            Pipeline p = new Pipeline(store, "--es-url", index.url, "--index", index.name);
            index.index(Fixtures.documents(0, 500, T0.minusSeconds(3600), 2), true);
            p.cycle("run-1", T0);
            byte[] latest = Fixtures.bytes(store, Layout.LATEST_PREDICTIONS);
            byte[] watermark = Fixtures.bytes(store, Layout.WATERMARK);
            index.index(Fixtures.documents(500, 500, T0.plusSeconds(60), 3), false);
            index.index(Fixtures.documents(0, 100, T0.plusSeconds(90), 7), true);

            Instant t1 = T0.plusSeconds(300);
            var r = Jobs.run(store.env(), "fetch", "--run-id", "run-2", "--data-interval-end", t1.toString(), "--es-url", proxy.url(),
                "--index", index.name, "--page-size", Integer.toString(PAGE), "--es-retries", "2", "--es-retry-wait", "50ms");
            assertEquals(3, r.exit(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            String line = r.errLines().getFirst();
            assertTrue(line.contains("Elasticsearch unavailable: cannot read a page of slice 0 at " + proxy.url() + ": ")
                && line.matches(".*\\(3 attempts over \\d+\\.\\d s\\).*"), line);
            assertNoTraceNorSecret(r);
            List<EsProxy.Request> searches = proxy.requests(SEARCH);
            assertEquals(5, searches.size(), "two pages, then one page three times");
            assertEquals(1, searches.subList(2, 5).stream().map(EsProxy.Request::body).distinct().count(), "the same page each time");
            assertEquals(1, proxy.requests(CLOSE_PIT).size(), "the point-in-time is closed on the way out");
            assertEquals(List.of(), store.list("runs/run-2/"), "a failed fetch leaves nothing behind");
            assertTrue(java.util.Arrays.equals(latest, Fixtures.bytes(store, Layout.LATEST_PREDICTIONS)), "latest/ untouched");
            assertTrue(java.util.Arrays.equals(watermark, Fixtures.bytes(store, Layout.WATERMARK)), "the watermark did not move");

            p.cycle("run-3", t1.plusSeconds(300));  // the next run, on a healthy node
            Map<String, JsonNode> published = Fixtures.records(store, Layout.LATEST_PREDICTIONS);
            assertEquals(1000, published.size());
            assertEquals(1000, Fixtures.lines(store, Layout.LATEST_PREDICTIONS).size());
            assertEquals(T0.plusSeconds(90).toString(), published.get("cust-00000").path("updated_at").asText());
            assertEquals(T0.plusSeconds(60).toString(), published.get("cust-00999").path("updated_at").asText());
        }
    }
}
