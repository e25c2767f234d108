package io.scoreline.serve;

import io.scoreline.core.alert.AlertOptions;
import io.scoreline.core.cli.Converters;
import io.scoreline.core.cli.JobRunner;
import io.scoreline.core.cli.ModelOptions;
import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.cli.VersionProvider;
import io.scoreline.core.error.JobException;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.model.ModelRegistry;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.health.Alerts;
import io.scoreline.serve.logs.RequestLog;
import io.scoreline.serve.metrics.ServeMetrics;
import io.scoreline.serve.observe.Observability;
import io.scoreline.serve.pool.Pools;
import io.scoreline.serve.scoring.AliasSource;
import io.scoreline.serve.scoring.ModelWatcher;
import io.scoreline.serve.pool.PoolsFile;
import io.scoreline.source.es.EsClients;
import io.scoreline.source.es.EsOptions;
import io.scoreline.source.es.EsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
    usageHelpAutoWidth = true,
    description = {"Scores a pool of items from Elasticsearch, or feature rows, over HTTP with the model predict uses.",
        "Answers within a deadline: when the model is late or fails, from Redis, the batch output or a default.",
        "Every option can also be set by its SCORELINE_* environment variable (--port: SCORELINE_SERVE_PORT; shared settings such as --store and --es-url: SCORELINE_STORE, SCORELINE_ES_URL).",
        "Endpoints, fallbacks and examples: docs/serve.md."},
    exitCodeList = {"2:incl. a bad --pools file, a --port in use, a --store that does not exist, an Elasticsearch index, query or mapping error",
        "3:Elasticsearch unreachable while loading the pools", "5:the model cannot be loaded"})
public final class ServeCommand implements Callable<Integer> {
    private final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin private StoreOptions store;
    @Mixin private EsOptions elasticsearch;

    @Option(names = "--pools", paramLabel = "FILE", required = true,
            description = "JSON file of the item pools: {\"pools\": [{\"name\", \"index\", \"query\", \"id_field\", \"updated_field\", \"features\"}]}.")
    private Path poolsFile;

    @Mixin private ModelOptions model;

    @Option(names = "--model-poll-interval", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.DurationConverter.class,
            description = "How often the alias is read; when it moves, the new version is loaded, checked and swapped in without a restart (0s: never; not with --model-version). Default: ${DEFAULT-VALUE}.")
    private Duration modelPollInterval;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    private String host;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0: any free port). Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "100ms", converter = Converters.DurationConverter.class,
            description = "Answer within this time; a request's deadline_ms overrides it. Default: ${DEFAULT-VALUE}.")
    private Duration deadline;

    @Option(names = "--redis-url", paramLabel = "URL",
            description = "Redis for the last good answer per key (redis://host:port[/db], rediss:// for TLS). Default: no cache.")
    private String redisUrl;

    @Option(names = "--redis-username", paramLabel = "USER", description = "Redis ACL user (with --redis-password).")
    private String redisUsername;

    @Option(names = "--redis-password", paramLabel = "PASSWORD", description = "Redis password; never logged.")
    private String redisPassword;

    @Option(names = "--cache-ttl", paramLabel = "DURATION", defaultValue = "24h", converter = Converters.DurationConverter.class,
            description = "How long a cached answer may stand in. Default: ${DEFAULT-VALUE}.")
    private Duration cacheTtl;

    @Option(names = "--cache-prefix", defaultValue = "scoreline:serve:", description = "Prefix of the cache's Redis keys. Default: ${DEFAULT-VALUE}.")
    private String cachePrefix;

    @Option(names = "--refresh-interval", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.DurationConverter.class,
            description = "How often pools read what changed, and latest/ is checked for a new batch output. Default: ${DEFAULT-VALUE}.")
    private Duration refreshInterval;

    @Option(names = "--full-refresh-interval", paramLabel = "DURATION", defaultValue = "10m", converter = Converters.DurationConverter.class,
            description = "How often pools are read whole, which drops deleted items. Default: ${DEFAULT-VALUE}.")
    private Duration fullRefreshInterval;

    @Option(names = "--overlap", paramLabel = "DURATION", defaultValue = "5m", converter = Converters.DurationConverter.class,
            description = "An incremental read starts this long before the newest update seen. Default: ${DEFAULT-VALUE}.")
    private Duration overlap;

    @Option(names = "--scoring-threads", description = "Threads scoring requests. Default: all cores.")
    private Integer scoringThreads;

    @Option(names = "--log-data-stream", paramLabel = "NAME", defaultValue = "scoreline-requests",
            description = "Elasticsearch data stream (on --es-url) that every request and answer is logged to, for Kibana;"
                + " its index template is installed at start. Default: ${DEFAULT-VALUE}.")
    private String logDataStream;

    @Option(names = "--log-sample-rate", paramLabel = "RATE", defaultValue = "1",
            description = "Share of requests logged, 0..1 (0: no request log). Default: ${DEFAULT-VALUE}.")
    private double logSampleRate;

    @Option(names = "--log-queue", paramLabel = "N", defaultValue = "10000",
            description = "Requests waiting for the request log at most; beyond it they are dropped (counted in /metrics)."
                + " Default: ${DEFAULT-VALUE}.")
    private int logQueue;

    @Mixin private AlertOptions alert;
    @Mixin private VerboseOption verbose;
    @Spec private CommandSpec spec;

    public static void main(String[] args) {
        VirtualThreads.carriers();  // before any virtual thread exists: the scheduler reads it once
        SLF4JBridgeHandler.removeHandlersForRootLogger();  // Helidon logs through java.util.logging
        SLF4JBridgeHandler.install();
        JobRunner.main(ServeCommand::new, args);
    }

    /** Metrics, alerts through --alert-webhook, and the request log on the --es-url cluster unless --log-sample-rate is 0. */
    private Observability observability(EsSettings connection) {
        RequestLog requestLog = null;
        if (logSampleRate > 0) {
            var logSettings = new RequestLog.Settings(logDataStream, logSampleRate, logQueue, 500, Duration.ofSeconds(1), (int) deadline.toMillis());
            requestLog = new RequestLog(logSettings, EsClients.rest(connection, 2), hostName());
        }
        return new Observability(new ServeMetrics(), requestLog, new Alerts(alert.webhook()), Clock.systemUTC());
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) return name;
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (deadline.isZero() || deadline.isNegative() || deadline.toMillis() > 10_000) {
            throw JobException.usage("--deadline must be between 1ms and 10s, got " + deadline);
        }
        if (port < 0 || port > 65_535) throw JobException.usage("--port must be 0..65535, got " + port);
        if (!(logSampleRate >= 0 && logSampleRate <= 1)) throw JobException.usage("--log-sample-rate must be from 0 to 1, got " + logSampleRate);
        if (logQueue < 1) throw JobException.usage("--log-queue must be 1 or more, got " + logQueue);
        if (!logDataStream.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
            throw JobException.usage("--log-data-stream must be lowercase letters, digits, '.', '_' or '-', got '" + logDataStream + "'");
        }
        Service.checkListen(host, port);
        var poolSpecs = PoolsFile.read(poolsFile);
        var connection = elasticsearch.settings();
        ObjectStore target = store.open(ObjectStore.Use.READ);
        var registry = new ModelRegistry(target);
        String served = model.version() != null ? model.version() : registry.resolve(model.name(), model.alias());
        int threads = scoringThreads != null ? scoringThreads : Runtime.getRuntime().availableProcessors();
        var settings = new Service.Settings(host, port, deadline, threads, 1024, 1 << 20, refreshInterval);
        var pools = new Pools(poolSpecs, connection, new Pools.Refresh(refreshInterval, fullRefreshInterval, overlap), Clock.systemUTC());
        var cache = redisUrl == null || redisUrl.isBlank() ? null
            : new AnswerCache(AnswerCache.uri(redisUrl, redisUsername, redisPassword), cacheTtl, cachePrefix);
        var service = new Service(settings, pools, target, cache, observability(connection));
        try {
            service.start();
            log.info("listening on {}:{} (alive; ready once model {}/{} and {} pool(s) are loaded)", host, service.port(), model.name(), served,
                poolSpecs.size());
            service.load(() -> registry.load(model.name(), served, model.maxBytes()));
            if (model.version() == null && !modelPollInterval.isZero() && !modelPollInterval.isNegative()) {
                service.watchModel(new AliasSource(registry, model.name(), model.alias(), model.maxBytes()), modelPollInterval, new ModelWatcher.Listener() {});
            }
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        spec.commandLine().getOut().printf("serving model %s/%s and pools %s on port %d%n", model.name(), served, pools.names(), service.port());
        spec.commandLine().getOut().flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {  // SIGTERM, Ctrl-C
            log.info("stopping: no new requests; requests in flight finish, the request log sends what it holds (at most 5 s)");
            service.close();
            log.info("stopped");
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
