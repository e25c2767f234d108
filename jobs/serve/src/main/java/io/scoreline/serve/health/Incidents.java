package io.scoreline.serve.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.serve.metrics.ServeMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background refreshes that are failing now, for /readyz, /metrics and alerts. The first failure of a component
 * sends one alert; while it keeps failing, each failure is counted and the latest error shown, but no other alert is
 * sent. A success closes the incident with one "recovered" message, so the next failure alerts again.
 */
public final class Incidents implements RefreshListener {
    private static final Logger log = LoggerFactory.getLogger(Incidents.class);

    /** A component failing since {@code since}: how many refreshes failed in a row and the last error. */
    public record Incident(Instant since, int failures, String error, @JsonIgnore ExitCode exitCode) {}

    private final Map<String, Incident> open = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final ServeMetrics metrics;
    private final Alerts alerts;
    private final Clock clock;

    public Incidents(ServeMetrics metrics, Alerts alerts, Clock clock) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.clock = clock;
    }

    @Override
    public void succeeded(String component) {
        Incident closed = open.remove(component);
        if (closed == null) return;
        String text = String.format("Scoreline %s: %s works again after %d failed attempt(s) since %s", job(component), component,
            closed.failures(), closed.since());
        log.info("{}", text);
        alerts.recovered(job(component), text);
    }

    @Override
    public void failed(String component, RuntimeException error) {
        ExitCode code = error instanceof JobException job ? job.exitCode() : ExitCode.BUG;
        // an unexpected exception's own text is the code's (class names), not the on-call engineer's: the log has it
        String message = error instanceof JobException ? error.getMessage() : "unexpected failure (the service's log has its details)";
        counter(component).increment();
        Incident now = open.compute(component, (c, before) -> before == null
            ? new Incident(clock.instant(), 1, message, code) : new Incident(before.since(), before.failures() + 1, message, code));
        // the failure itself is logged by the part that failed; here only whether it alerts
        if (now.failures() == 1) alerts.failed(job(component), code, component + ": refresh failed, the last good data stays in use: " + message);
    }

    /** Registers the component's failure counter at 0, so /metrics shows it before the first failure. */
    public void watch(String component) {
        counter(component);
    }

    /** The incidents open now, by component (empty when every refresh succeeded last time). */
    public Map<String, Incident> open() {
        return new TreeMap<>(open);
    }

    private Counter counter(String component) {
        return failures.computeIfAbsent(component, c -> {
            int colon = c.indexOf(':');
            String kind = colon < 0 ? c : c.substring(0, colon), name = colon < 0 ? c : c.substring(colon + 1);
            return kind.equals("pool")
                ? metrics.counter("scoreline.pool.refresh.failures", "Failed pool refreshes (the last good pool stays in use)", Tags.of("pool", name))
                : metrics.counter("scoreline." + kind + ".reload.failures", "Failed reloads (the last good one stays in use)", Tags.of(kind, name));
        });
    }

    private static String job(String component) {
        return component.startsWith("pool:") ? "serve pool refresh" : component.startsWith("model:") ? "serve model reload" : "serve";
    }
}
