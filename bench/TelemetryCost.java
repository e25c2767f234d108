import io.scoreline.core.records.Json;
import io.scoreline.serve.api.RankRequest;
import io.scoreline.serve.api.RankResponse;
import io.scoreline.serve.logs.RequestLog;
import io.scoreline.serve.metrics.ServeMetrics;
import io.scoreline.serve.observe.Exchange;
import io.scoreline.serve.observe.Telemetry;
import io.scoreline.source.es.Backoff;
import io.scoreline.source.es.Credentials;
import io.scoreline.source.es.EsClients;
import io.scoreline.source.es.EsSettings;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What serve's observability costs a request on its own thread: building the request's Exchange
 * (10 items) and handing it to the metrics and the request log, per request, wall and CPU time of the calling thread.
 * Cases: metrics only; metrics and the log with its Elasticsearch down (the queue full, every entry dropped); metrics and
 * the log sending to a live Elasticsearch (argument: its URL), entries queued while a thread sends them in bulk.
 * Run: java -cp dist/serve.jar bench/TelemetryCost.java [ES_URL] [calls per round]   (figures: docs/serve.md)
 * With ES_URL it writes to the data stream scoreline-requests-bench there: use a throw-away node.
 */
public class TelemetryCost {
    public static void main(String[] args) throws Exception {
        String es = args.length > 0 ? args[0] : null;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        var request = RankRequest.of(Json.MAPPER.readTree("{\"key\":\"user-1\",\"top_k\":10}"));
        List<RankResponse.Item> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) items.add(new RankResponse.Item("item-" + i, 1.0 / (i + 1), "yes"));
        var answer = new RankResponse("items", "user-1", items, "model", null, "churn", "v1", null, 500, 3);

        var metricsOnly = new ServeMetrics();
        var down = new ServeMetrics();
        var downLog = log("http://127.0.0.1:1", 1000);
        downLog.register(down);
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"metrics only", metricsOnly});
        cases.add(new Object[] {"metrics + request log, Elasticsearch down (dropped)", Telemetry.all(List.of(down, downLog))});
        RequestLog upLog = null;
        if (es != null) {
            var up = new ServeMetrics();
            upLog = log(es, 1_000_000);
            upLog.register(up);
            cases.add(new Object[] {"metrics + request log, Elasticsearch up (queued, sent in bulk)", Telemetry.all(List.of(up, upLog))});
        }
        var cpu = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "| case | wall ns/request | CPU ns/request |%n|---|---|---|%n");
        for (Object[] c : cases) {
            Telemetry t = (Telemetry) c[1];
            List<long[]> rounds = new ArrayList<>();
            for (int round = 0; round < 7; round++) {
                long wall = System.nanoTime(), cpu0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) t.answered(Exchange.ranked("items", request, answer, System.nanoTime()));
                rounds.add(new long[] {(System.nanoTime() - wall) / calls, (cpu.getCurrentThreadCpuTime() - cpu0) / calls});
                if (c[1] != metricsOnly && upLog != null) Thread.sleep(500);  // let the sender catch up between rounds
            }
            rounds = rounds.subList(2, rounds.size());  // the first two warm the JIT
            System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", c[0], median(rounds, 0), median(rounds, 1));
        }
        downLog.close();
        if (upLog != null) upLog.close();
    }

    private static RequestLog log(String url, int queue) {
        var settings = new EsSettings(List.of(URI.create(url)), Credentials.of(null, null, null, null), null, null, Duration.ofSeconds(5),
            new Backoff(0, Duration.ofMillis(100)), false);
        return new RequestLog(new RequestLog.Settings("scoreline-requests-bench", 1, queue, 500, Duration.ofSeconds(1), 100),
            EsClients.rest(settings, 2), "bench").start();
    }

    private static long median(List<long[]> rounds, int i) {
        return rounds.stream().mapToLong(r -> r[i]).sorted().toArray()[rounds.size() / 2];
    }
}
