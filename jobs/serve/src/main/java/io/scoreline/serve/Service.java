package io.scoreline.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServer;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.model.LoadedModel;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.fallback.BatchPredictions;
import io.scoreline.serve.http.HttpApi;
import io.scoreline.serve.observe.Observability;
import io.scoreline.serve.pool.Pool;
import io.scoreline.serve.pool.Pools;
import io.scoreline.serve.scoring.ModelWatcher;
import io.scoreline.serve.scoring.PredictService;
import io.scoreline.serve.scoring.RankService;
import io.scoreline.serve.scoring.ScoringPool;
import io.scoreline.serve.scoring.ServedModel;
import io.scoreline.serve.scoring.Serving;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final RankService rank;
    private final Observability observability;
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("batch-refresh").factory());
    private WebServer server;
    private volatile ModelWatcher watcher;

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
        this.rank = new RankService(pools, serving);
    }

    /** Starts listening; an address that cannot be listened on is exit 2, one line ({@link #checkListen} says why first). */
    public Service start() {
        observability.start();
        var api = new HttpApi(rank, new PredictService(serving), this::ready, observability, this::readiness);
        server = WebServer.builder().host(settings.host()).port(settings.port()).maxPayloadSize(settings.maxBodyBytes())
            .directHandlers(handlers -> api.directHandlers(handlers, settings.maxBodyBytes())).routing(api::routes).build().start();
        if (!server.isRunning()) throw cannotListen(settings.host(), settings.port(), "the HTTP server did not start (its log says why)");
        return this;
    }

    /**
     * Binds the address once, before anything else starts: the HTTP server, failing to, would log a stack trace and
     * carry on without a port. A port in use, or a host that is not this machine's, is exit 2 with the reason.
     */
    public static void checkListen(String host, int port) {
        if (port == 0) return;
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException | IllegalArgumentException e) {
            throw cannotListen(host, port, e.getMessage());
        }
    }

    private static JobException cannotListen(String host, int port, String why) {
        return JobException.usage("cannot listen on " + host + ":" + port + ": " + why + "; choose another --port (or --host)");
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
        rank.prepareAll();
        observability.watch(pools);
        if (cache != null) observability.watch(cache);
        pools.listen(observability.refreshes());
        pools.startRefreshing();
        long every = settings.batchRefresh().toMillis();
        scheduler.scheduleWithFixedDelay(batch::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Hot reload (after {@link #load}): polls the alias every {@code every}; the listener hears of swaps and failures.
     */
    public ModelWatcher watchModel(ModelWatcher.Source source, Duration every, ModelWatcher.Listener listener) {
        var observed = new ModelWatcher.Listener() {  // metrics, /readyz's failing and the alert (Observability), then the caller's
            @Override
            public void reloaded(String model, String from, String to) {
                observability.modelLoaded(model, to);
                rank.prepareAll();
                listener.reloaded(model, from, to);
            }

            @Override
            public void reloadFailed(String model, String version, String reason) {
                observability.modelReloadFailed(model, JobException.model("reload of " + model + "/" + version + " failed: " + reason, null));
                listener.reloadFailed(model, version, reason);
            }
        };
        watcher = new ModelWatcher(source, serving, this::sample, observed, java.time.Clock.systemUTC()).start(every);
        return watcher;
    }

    /** Up to 100 items of each pool: what a new model version is checked on before it replaces the served one. */
    private List<ObjectNode> sample() {
        List<ObjectNode> items = new ArrayList<>();
        for (String name : pools.names()) {
            pools.get(name).ifPresent(p -> p.snapshot().items().stream().limit(100).forEach(d -> items.add(d.features())));
        }
        return items;
    }

    /** /readyz's detail: the model served and, with hot reload, the alias and the last failed reload. */
    private Map<String, Object> readiness() {
        Map<String, Object> detail = new LinkedHashMap<>();
        if (serving.hasModel()) detail.put("model", Map.of("name", serving.model().name(), "version", serving.model().version()));
        if (watcher != null) detail.put("model_reload", watcher.status());
        return detail;
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
        if (watcher != null) watcher.close();
        scheduler.shutdownNow();
        pools.close();
        serving.scoring().close();
        rank.close();
        if (cache != null) cache.close();
        observability.close();
    }

    /** The metrics, request log and incidents, e.g. for the model reload's hooks. */
    public Observability observability() {
        return observability;
    }
}
