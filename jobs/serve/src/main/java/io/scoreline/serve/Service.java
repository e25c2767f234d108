package io.scoreline.serve;

import io.helidon.webserver.WebServer;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.fallback.BatchPredictions;
import io.scoreline.serve.http.HttpApi;
import io.scoreline.serve.observe.Observability;
import io.scoreline.serve.pool.Pool;
import io.scoreline.serve.pool.Pools;
import io.scoreline.serve.scoring.PredictService;
import io.scoreline.serve.scoring.RankService;
import io.scoreline.serve.scoring.ScoringPool;
import io.scoreline.serve.scoring.ServedModel;
import io.scoreline.serve.scoring.Serving;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service, wired: the HTTP server starts first (alive, not ready), then the model and the pools load, then the
 * background refreshes start. The command builds the parts from its options; tests build them too (e.g. a slow model).
 */
public final class Service implements AutoCloseable {
    /** Where to listen and how requests are answered. */
    public record Settings(String host, int port, Duration deadline, int scoringThreads, int queue, long maxBodyBytes, Duration batchRefresh) {}

    private final Settings settings;
    private final Pools pools;
    private final ObjectStore store;
    private final AnswerCache cache;
    private final Serving serving;
    private final Observability observability;
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("batch-refresh").factory());
    private WebServer server;

    public Service(Settings settings, Pools pools, ObjectStore store, AnswerCache cache) {
        this(settings, pools, store, cache, Observability.metricsOnly());
    }

    public Service(Settings settings, Pools pools, ObjectStore store, AnswerCache cache, Observability observability) {
        this.settings = settings;
        this.observability = observability;
        this.pools = pools;
        this.store = store;
        this.cache = cache;
        this.serving = new Serving(new ScoringPool(settings.scoringThreads(), settings.queue()), settings.deadline(), cache);
    }

    public Service start() {
        observability.start();
        var api = new HttpApi(new RankService(pools, serving), new PredictService(serving), this::ready, observability);
        server = WebServer.builder().host(settings.host()).port(settings.port()).maxPayloadSize(settings.maxBodyBytes())
            .routing(api::routes).build().start();
        return this;
    }

    /** Loads the model, the batch fallback and every pool; a failure (JobException) is the caller's to report. */
    public void load(Supplier<LoadedModel> model) {
        var served = new ServedModel(model.get());
        var batch = new BatchPredictions(store, served.name(), served::rankScore);
        batch.refresh();
        RankService.warmUp();
        PredictService.warmUp();
        serving.ready(served, batch);
        observability.modelLoaded(served.name(), served.version());
        pools.loadAll();
        observability.watch(pools);
        if (cache != null) observability.watch(cache);
        pools.listen(observability.refreshes());
        pools.startRefreshing();
        long every = settings.batchRefresh().toMillis();
        scheduler.scheduleWithFixedDelay(batch::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    public boolean ready() {
        return serving.hasModel() && pools.names().stream().allMatch(n -> pools.get(n).map(Pool::loaded).orElse(false));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) server.stop();
        scheduler.shutdownNow();
        pools.close();
        serving.scoring().close();
        if (cache != null) cache.close();
        observability.close();
    }

    /** The metrics, request log and incidents, e.g. for the model reload's hooks. */
    public Observability observability() {
        return observability;
    }
}
