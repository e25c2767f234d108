package io.scoreline.source.es;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.run.Partition;
import io.scoreline.core.run.Window;
import io.scoreline.source.DocumentSink;
import io.scoreline.source.DocumentSource;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Documents from Elasticsearch: checks the update-time mapping, opens a point-in-time, reads its slices in parallel
 * with search_after, and closes the point-in-time on every way out.
 */
public final class EsSource implements DocumentSource {
    private static final Logger log = LoggerFactory.getLogger(EsSource.class);

    private final Cluster cluster;
    private final ReadSpec spec;

    public EsSource(Cluster cluster, ReadSpec spec) {
        this.cluster = cluster;
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "elasticsearch index '" + spec.index() + "' at " + cluster.urls();
    }

    @Override
    public void read(Window window, DocumentSink sink) {
        UpdateTime time = UpdateTime.of(cluster, spec.index(), spec.fields().updatedField());  // before the point-in-time opens
        try (PointInTime pit = PointInTime.open(cluster, spec.index())) {
            read(spec, time, pit, window, sink);
        }
    }

    /** One point-in-time for every partition of a run: opened once (by the partition that plans the run), read by all. */
    @Override
    public String openShared() {
        return PointInTime.openId(cluster, spec.index(), PageRequests.SHARED_KEEP_ALIVE);
    }

    /** Closes a point-in-time this job opened for a plan that lost to another partition's: nobody will read it. */
    @Override
    public void closeShared(String id) {
        PointInTime.owned(cluster, id).close();
    }

    @Override
    public boolean readsPartitions() {
        return true;
    }

    /** Reads partition {@code part}'s slices of the shared point-in-time {@code shared}, each split in this run's slices. */
    @Override
    public void read(Window window, Partition part, String shared, int slicesPerPart, DocumentSink sink) {
        ReadSpec partSpec = spec.withPart(part, slicesPerPart);
        UpdateTime time = UpdateTime.of(cluster, partSpec.index(), partSpec.fields().updatedField());
        try (PointInTime pit = PointInTime.shared(cluster, shared)) {
            read(partSpec, time, pit, window, sink);
        }
    }

    private void read(ReadSpec read, UpdateTime time, PointInTime pit, Window window, DocumentSink sink) {
        var requests = new PageRequests(read, time, window);
        log.info("reading '{}' through a point-in-time: {} slice(s){}, pages of {}", read.index(), read.slices(),
            read.part().partitioned() ? " of partition " + read.part() : "", read.pageSize());
        if (read.slices() == 1) {
            new SliceReader(cluster, pit, requests, 0, read.pageSize(), sink, new AtomicBoolean()).call();
        } else {
            readSlices(read, pit, requests, sink);
        }
    }

    private void readSlices(ReadSpec spec, PointInTime pit, PageRequests requests, DocumentSink sink) {
        AtomicBoolean stop = new AtomicBoolean();
        RuntimeException failure = null;
        try (ExecutorService threads = Executors.newFixedThreadPool(spec.slices(), Thread.ofPlatform().name("es-slice-", 0).factory())) {
            CompletionService<Long> slices = new ExecutorCompletionService<>(threads);
            long started = System.nanoTime();
            for (int i = 0; i < spec.slices(); i++) {
                slices.submit(new SliceReader(cluster, pit, requests, i, spec.pageSize(), sink, stop));
            }
            for (int done = 1; done <= spec.slices(); done++) {
                try {
                    long read = slices.take().get();
                    log.info("slice {}/{} done: {} documents in {} ms", done, spec.slices(), read, (System.nanoTime() - started) / 1_000_000);
                } catch (ExecutionException e) {
                    stop.set(true);  // the other slices end after their current page
                    if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            stop.set(true);
            Thread.currentThread().interrupt();
            throw new JobException(ExitCode.SOURCE_UNAVAILABLE, "interrupted while reading Elasticsearch", e);
        }
        if (failure != null) throw failure;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
