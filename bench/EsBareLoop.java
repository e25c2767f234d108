import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The baseline fetch is measured against: the plainest client loop over the same point-in-time read (same client,
 * same sort, same page size, same wire encoding), documents deserialized as the client does and then discarded.
 *
 *   java -cp dist/fetch.jar bench/EsBareLoop.java URL INDEX SLICES PAGE_SIZE UPDATED_FIELD GZIP_RESPONSES(true|false)
 */
public class EsBareLoop {
    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Throwable e) {  // exit anyway: the HTTP client's I/O threads would keep the JVM alive
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        String index = args[1], field = args[4];
        int slices = Integer.parseInt(args[2]), pageSize = Integer.parseInt(args[3]);
        boolean compression = Boolean.parseBoolean(args[5]);
        long started = System.nanoTime();
        try (var transport = new Rest5ClientTransport(Rest5Client.builder(URI.create(args[0]))
            .setHttpClientConfigCallback(http -> { if (!compression) http.disableContentCompression(); }).build(), new JacksonJsonpMapper(),
            null, NoopInstrumentation.INSTANCE)) {
            var client = new ElasticsearchClient(transport);
            String pit = client.openPointInTime(o -> o.index(index).keepAlive(k -> k.time("5m"))).id();
            List<SortOptions> sort = List.of(
                SortOptions.of(s -> s.field(f -> f.field(field).order(SortOrder.Asc))),
                SortOptions.of(s -> s.field(f -> f.field("_shard_doc").order(SortOrder.Asc))));
            var threads = Executors.newFixedThreadPool(slices);
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < slices; i++) {
                int slice = i;
                counts.add(threads.submit((Callable<Long>) () -> {
                    long n = 0;
                    List<FieldValue> after = null;
                    while (true) {
                        List<FieldValue> from = after;
                        SearchResponse<ObjectNode> page = client.search(s -> {
                            s.pit(p -> p.id(pit).keepAlive(k -> k.time("5m"))).sort(sort).size(pageSize).trackTotalHits(t -> t.enabled(false));
                            if (slices > 1) s.slice(sl -> sl.id(Integer.toString(slice)).max(slices));
                            if (from != null) s.searchAfter(from);
                            return s;
                        }, ObjectNode.class);
                        var hits = page.hits().hits();
                        n += hits.size();
                        if (hits.size() < pageSize) return n;
                        after = hits.getLast().sort();
                    }
                }));
            }
            long total = 0;
            for (var c : counts) total += c.get();
            threads.shutdown();
            client.closePointInTime(c -> c.id(pit));
            System.out.printf("documents=%d seconds=%.2f%n", total, (System.nanoTime() - started) / 1e9);
        }
    }
}
