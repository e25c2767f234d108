package io.scoreline.serve.observe;

import io.micrometer.core.instrument.Tags;
import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.serve.health.Alerts;
import io.scoreline.serve.health.Incidents;
import io.scoreline.serve.health.RefreshListener;
import io.scoreline.serve.logs.RequestLog;
import io.scoreline.serve.metrics.ServeMetrics;
import io.scoreline.serve.pool.Pool;
import io.scoreline.serve.pool.Pools;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the service shows about itself, wired once: the metrics (/metrics), the request log (may be absent), the open
 * incidents (/readyz) and their alerts. {@link #modelLoaded} and {@link #modelReloadFailed} are the model's hooks (the
 * hot reload calls them); the pools report through {@link #refreshes()}.
 */
public final class Observability implements AutoCloseable {
    private final ServeMetrics metrics;
    private final RequestLog requestLog;
    private final Incidents incidents;
    private final Clock clock;

    public Observability(ServeMetrics metrics, RequestLog requestLog, Alerts alerts, Clock clock) {
        this.metrics = metrics;
        this.requestLog = requestLog;
        this.incidents = new Incidents(metrics, alerts, clock);
        this.clock = clock;
        metrics.functionCounter("scoreline.alerts", "Alerts posted to --alert-webhook, by outcome", Tags.of("outcome", "sent"), alerts,
            Alerts::sent);
        metrics.functionCounter("scoreline.alerts", "Alerts posted to --alert-webhook, by outcome", Tags.of("outcome", "failed"), alerts,
            Alerts::failed);
        if (requestLog != null) requestLog.register(metrics);
    }

    /** Metrics only: no request log, no webhook (tests, and a service without Elasticsearch logging). */
    public static Observability metricsOnly() {
        return new Observability(new ServeMetrics(), null, new Alerts(null), Clock.systemUTC());
    }

    public Observability start() {
        if (requestLog != null) requestLog.start();
        return this;
    }

    /** What every answered request goes to. */
    public Telemetry telemetry() {
        List<Telemetry> all = new ArrayList<>(List.of(metrics));
        if (requestLog != null) all.add(requestLog);
        return Telemetry.all(all);
    }

    public ServeMetrics metrics() {
        return metrics;
    }

    /** Where background refreshes report (the pools; the model reload through the two hooks below). */
    public RefreshListener refreshes() {
        return incidents;
    }

    /** The refreshes failing now, for /readyz. */
    public Map<String, Incidents.Incident> incidents() {
        return incidents.open();
    }

    /** A model is served, at start or after a reload: the model info gauge names it, and a failing reload is over. */
    public void modelLoaded(String model, String version) {
        metrics.model(model, version);
        incidents.watch(RefreshListener.model(model));
        incidents.succeeded(RefreshListener.model(model));
    }

    /** A reload of the model failed and the last good one stays in use: counted, shown in /readyz, alerted once. */
    public void modelReloadFailed(String model, RuntimeException error) {
        incidents.failed(RefreshListener.model(model), error);
    }

    /** Gauges of every pool: its items and the age of its data (seconds since its last successful read). */
    public void watch(Pools pools) {
        for (String name : pools.names()) {
            Pool pool = pools.get(name).orElseThrow();
            incidents.watch(RefreshListener.pool(name));
            metrics.gauge("scoreline.pool.items", "Items in the pool", Tags.of("pool", name), pool, p -> p.snapshot().items().size());
            metrics.gauge("scoreline.pool.age.seconds", "Seconds since the pool was last read successfully", Tags.of("pool", name), pool,
                p -> p.snapshot().refreshedAt() == null ? Double.NaN
                    : Duration.between(p.snapshot().refreshedAt(), clock.instant()).toMillis() / 1000.0);
        }
    }

    /** Redis errors of the answer cache (reads, writes and connection attempts that failed). */
    public void watch(AnswerCache cache) {
        metrics.functionCounter("scoreline.redis.errors", "Redis commands and connection attempts of the answer cache that failed",
            Tags.empty(), cache, AnswerCache::errors);
    }

    @Override
    public void close() {
        if (requestLog != null) requestLog.close();
        metrics.close();
    }
}
