package io.scoreline.fetch.source.es;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.fetch.source.DocumentSink;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** Reads one slice of the point-in-time, page after page with search_after, into the sink; returns the count. */
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
        List<FieldValue> after = null;
        while (!stop.get()) {
            List<FieldValue> from = after;
            SearchResponse<ObjectNode> page = cluster.call("read a page of slice " + slice, client -> complete(
                client.search(requests.page(pit.id(), slice, from), ObjectNode.class)));
            pit.seen(page.pitId());
            List<Hit<ObjectNode>> hits = page.hits().hits();
            for (Hit<ObjectNode> hit : hits) {
                if (hit.source() != null) sink.accept(hit.source(), hit.id());
                else sink.reject("{\"_id\":\"" + hit.id() + "\"}", "the document has no _source (disabled in the mapping?)");
            }
            read += hits.size();
            if (hits.size() < pageSize) break;
            after = hits.getLast().sort();
        }
        return read;
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
