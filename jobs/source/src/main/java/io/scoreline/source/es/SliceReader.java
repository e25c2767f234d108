package io.scoreline.source.es;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.source.DocumentSink;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one slice of the point-in-time, page after page with search_after, into the sink; returns the count.
 * The next page is requested before the current one goes to the sink, so Elasticsearch and the client's parsing work
 * while the sink maps and stores documents: one slice reads nearly as fast as a loop that discards the documents.
 */
final class SliceReader implements Callable<Long> {
    private final Cluster cluster;
    private final PointInTime pit;
    private final PageRequests requests;
    private final int slice;
    private final int pageSize;
    private final DocumentSink sink;
    private final AtomicBoolean stop;

    SliceReader(Cluster cluster, PointInTime pit, PageRequests requests, int slice, int pageSize, DocumentSink sink, AtomicBoolean stop) {
        this.cluster = cluster;
        this.pit = pit;
        this.requests = requests;
        this.slice = slice;
        this.pageSize = pageSize;
        this.sink = sink;
        this.stop = stop;
    }

    @Override
    public Long call() {
        long read = 0;
        try (ExecutorService prefetcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("es-page-" + slice).factory())) {
            CompletableFuture<SearchResponse<ObjectNode>> next = request(prefetcher, null);
            while (next != null) {
                List<Hit<ObjectNode>> hits = await(next).hits().hits();
                boolean more = hits.size() == pageSize && !stop.get();
                next = more ? request(prefetcher, hits.getLast().sort()) : null;
                for (Hit<ObjectNode> hit : hits) {
                    if (hit.source() != null) sink.accept(hit.source(), hit.id());
                    else sink.reject(idOnly(hit.id()), "the document has no _source (disabled in the mapping?)");
                }
                read += hits.size();
            }
        }
        return read;
    }

    /** The reject line of a document without _source: its id as JSON, escaped whatever characters the id holds. */
    static String idOnly(String id) {
        return Json.MAPPER.createObjectNode().put("_id", id).toString();
    }

    private CompletableFuture<SearchResponse<ObjectNode>> request(ExecutorService prefetcher, List<FieldValue> after) {
        return CompletableFuture.supplyAsync(() -> {
            SearchResponse<ObjectNode> page = cluster.call("read a page of slice " + slice, client -> complete(
                client.search(requests.page(pit.id(), slice, after), ObjectNode.class)));
            pit.seen(page.pitId());
            return page;
        }, prefetcher);
    }

    private static SearchResponse<ObjectNode> await(CompletableFuture<SearchResponse<ObjectNode>> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) throw failure;
            throw new JobException(ExitCode.BUG, "reading a page failed: " + e.getCause(), e.getCause());
        }
    }

    /** A page with failed shards or a timeout is incomplete: failing it (transiently) retries it instead of losing documents. */
    private static SearchResponse<ObjectNode> complete(SearchResponse<ObjectNode> page) throws IOException {
        if (page.timedOut()) throw new IOException("the search timed out on the server");
        if (page.shards().failed().intValue() > 0) {
            String reason = page.shards().failures().isEmpty() ? "" : ": " + page.shards().failures().getFirst().reason().reason();
            throw new IOException(page.shards().failed() + " shard(s) failed" + reason);
        }
        return page;
    }
}
