package io.scoreline.serve.scoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreline.model.LoadedModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: every poll reads the alias in the store; when it names another version, that version is loaded with
 * predict's loader (ModelRegistry), checked beside the served one on a sample of pool items ({@link ReloadCheck}), and
 * swapped in with one volatile write (a request keeps the model it started with). A load or check that fails keeps the
 * served model, shows in /readyz and goes to the listener; the next poll tries again (requests never trigger a load).
 */
public final class ModelWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

    /** Where versions come from: the alias's current version, and a version loaded (a JobException when it cannot be). */
    public interface Source {
        String alias();

        String resolve();

        LoadedModel load(String version);
    }

    /** Told of each swap and each failed reload (alerts, metrics); called on the watcher's thread. */
    public interface Listener {
        default void reloaded(String model, String from, String to) {}

        default void reloadFailed(String model, String version, String reason) {}
    }

    /** What /readyz shows: the alias, the version served, and the last failed reload (null once a reload succeeds). */
    public record Status(String alias, String version, Failure lastFailure, Instant lastPoll) {}

    /** A reload that did not happen: the version the alias named, why, when, and how many polls in a row failed. */
    public record Failure(String version, String reason, Instant at, int attempts) {}

    private final Source source;
    private final Serving serving;
    private final Supplier<List<ObjectNode>> sample;
    private final Listener listener;
    private final Clock clock;
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("model-reload").factory());
    private volatile Failure lastFailure;
    private volatile Instant lastPoll;

    public ModelWatcher(Source source, Serving serving, Supplier<List<ObjectNode>> sample,
                        Listener listener, Clock clock) {
        this.source = source;
        this.serving = serving;
        this.sample = sample;
        this.listener = listener;
        this.clock = clock;
    }

    public ModelWatcher start(Duration every) {
        long millis = every.toMillis();
        scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One poll: reads the alias and, when it moved, loads, checks and swaps. Never throws. */
    public void poll() {
        ServedModel current = serving.model();
        String wanted;
        try {
            wanted = source.resolve();
        } catch (RuntimeException e) {
            failed(current, "(alias " + source.alias() + ")", "could not read the alias: " + e.getMessage());
            return;
        } finally {
            lastPoll = clock.instant();
        }
        if (Objects.equals(wanted, current.version())) {
            lastFailure = null;  // the alias went back to the served version: nothing is pending
            return;
        }
        try {
            ServedModel next = new ServedModel(source.load(wanted));
            String refused = ReloadCheck.refusal(next, current, sample.get());
            if (refused != null) {
                failed(current, wanted, refused);
                return;
            }
            serving.swap(next);
            lastFailure = null;
            log.info("model {}: now serving {} (alias {} moved from {})", current.name(), wanted, source.alias(), current.version());
            listener.reloaded(current.name(), current.version(), wanted);
        } catch (RuntimeException e) {
            failed(current, wanted, e.getMessage());
        }
    }

    private void failed(ServedModel current, String version, String reason) {
        Failure previous = lastFailure;
        int attempts = previous != null && previous.version().equals(version) ? previous.attempts() + 1 : 1;
        lastFailure = new Failure(version, reason, clock.instant(), attempts);
        log.warn("model {}: reload of {} failed (attempt {}), still serving {}: {}", current.name(), version, attempts,
            current.version(), reason);
        try {
            listener.reloadFailed(current.name(), version, reason);
        } catch (RuntimeException e) {
            log.warn("model {}: the reload listener failed: {}", current.name(), e.toString());
        }
    }

    public Status status() {
        return new Status(source.alias(), serving.hasModel() ? serving.model().version() : null, lastFailure, lastPoll);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
