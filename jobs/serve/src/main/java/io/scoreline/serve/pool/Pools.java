package io.scoreline.serve.pool;

import io.scoreline.core.run.Window;
import io.scoreline.serve.health.RefreshListener;
import io.scoreline.source.es.EsSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every pool, loaded fully at start and kept fresh in the background: an incremental read of what changed since the
 * newest update seen (less an overlap, for documents that became visible late), and now and then a full read, the
 * only way to notice deletions. A failed refresh keeps the last good pool.
 */
public final class Pools implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pools.class);

    /** How often to refresh and how far back an incremental read starts. */
    public record Refresh(Duration interval, Duration fullInterval, Duration overlap) {}

    private final Map<String, Pool> pools = new LinkedHashMap<>();
    private final Map<String, PoolReader> readers = new LinkedHashMap<>();
    private final Map<String, Instant> lastFull = new LinkedHashMap<>();
    private final Refresh refresh;
    private final Clock clock;
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("pool-refresh").factory());
    private volatile RefreshListener listener = RefreshListener.NONE;

    public Pools(List<PoolSpec> specs, EsSettings connection, Refresh refresh, Clock clock) {
        this.refresh = refresh;
        this.clock = clock;
        for (PoolSpec spec : specs) {
            pools.put(spec.name(), new Pool(spec));
            readers.put(spec.name(), new PoolReader(spec, connection));
        }
    }

    public Optional<Pool> get(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public List<String> names() {
        return List.copyOf(pools.keySet());
    }

    /** Reads every pool fully; a failure (JobException: exit 2 or 3) is the caller's to report. */
    public void loadAll() {
        for (Pool pool : pools.values()) full(pool);
    }

    /** Who hears of each background refresh's outcome (metrics, /readyz, alerts). */
    public void listen(RefreshListener listener) {
        this.listener = listener;
    }

    public void startRefreshing() {
        long every = refresh.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
    }

    private void refreshAll() {
        for (Pool pool : pools.values()) {
            try {
                Instant now = clock.instant();
                if (!lastFull.get(pool.spec().name()).plus(refresh.fullInterval()).isAfter(now)) full(pool);
                else incremental(pool, now);
                listener.succeeded(RefreshListener.pool(pool.spec().name()));
            } catch (RuntimeException e) {
                log.warn("pool '{}': refresh failed, the last good pool stays in use: {}", pool.spec().name(), e.getMessage());
                listener.failed(RefreshListener.pool(pool.spec().name()), e);
            }
        }
    }

    private void full(Pool pool) {
        Instant now = clock.instant();
        var documents = readers.get(pool.spec().name()).read(new Window(null, now));
        pool.replaceAll(documents, now);
        lastFull.put(pool.spec().name(), now);
        log.info("pool '{}': {} items (full read of '{}')", pool.spec().name(), pool.snapshot().items().size(), pool.spec().index());
    }

    private void incremental(Pool pool, Instant now) {
        Instant newest = pool.snapshot().newest();
        Instant after = newest == null ? null : newest.minus(refresh.overlap());
        var documents = readers.get(pool.spec().name()).read(new Window(after, now));
        pool.merge(documents, now);
        if (!documents.isEmpty()) log.debug("pool '{}': {} new or updated items", pool.spec().name(), documents.size());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);  // a read in flight ends before its client closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.values().forEach(PoolReader::close);
    }
}
