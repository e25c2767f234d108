package io.scoreline.serve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scoreline.serve.observe.Exchange;
import io.scoreline.serve.observe.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The service's Prometheus metrics (GET /metrics), through Micrometer: requests and their latency by endpoint, source
 * and status, fallbacks by reason, and the gauges and counters the parts register (pools, model, request log, Redis).
 * Every name starts with {@code scoreline_}; docs/serve.md lists them.
 */
public final class ServeMetrics implements Telemetry, AutoCloseable {
    /** Latency buckets around the deadline (100 ms by default), in milliseconds. */
    private static final long[] BUCKETS_MS = {1, 2, 5, 10, 15, 20, 30, 50, 75, 100, 105, 110, 150, 200, 300, 500, 1000, 2000, 5000, 10_000};

    private static final Duration[] BUCKETS = buckets();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge modelInfo = MultiGauge.builder("scoreline.model.info")
        .description("The model served: 1, tagged with its name and version").register(registry);

    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Stops listening to the JVM's garbage collections. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void answered(Exchange e) {
        String source = e.source() == null ? "none" : e.source();
        Counter.builder("scoreline.requests").description("Requests answered, by endpoint, source of the answer and HTTP status")
            .tags("endpoint", e.endpoint(), "source", source, "status", Integer.toString(e.status())).register(registry).increment();
        Timer.builder("scoreline.request.latency").description("Time from a request's arrival to its answer")
            .serviceLevelObjectives(BUCKETS).tags("endpoint", e.endpoint(), "source", source).register(registry)
            .record(e.latencyNanos(), TimeUnit.NANOSECONDS);
        if (e.fallbackReason() != null) {
            Counter.builder("scoreline.fallbacks").description("Answers not from the model, by why the model did not answer")
                .tags("endpoint", e.endpoint(), "reason", e.fallbackReason()).register(registry).increment();
        }
    }

    private static Duration[] buckets() {
        Duration[] out = new Duration[BUCKETS_MS.length];
        for (int i = 0; i < out.length; i++) out[i] = Duration.ofMillis(BUCKETS_MS[i]);
        return out;
    }

    /** The model now served (on load and after every reload): the only row of scoreline_model_info. */
    public void model(String name, String version) {
        modelInfo.register(List.of(MultiGauge.Row.of(Tags.of("model", name, "version", version), 1)), true);
    }

    public <T> void gauge(String name, String description, Tags tags, T state, ToDoubleFunction<T> value) {
        Gauge.builder(name, state, value).description(description).tags(tags).register(registry);
    }

    public <T> void functionCounter(String name, String description, Tags tags, T state, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, state, value).description(description).tags(tags).register(registry);
    }

    public Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** A gauge read from a supplier, e.g. a queue's size. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }
}
