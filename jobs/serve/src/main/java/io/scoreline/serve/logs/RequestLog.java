package io.scoreline.serve.logs;

import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.micrometer.core.instrument.Tags;
import io.scoreline.serve.metrics.ServeMetrics;
import io.scoreline.serve.observe.Exchange;
import io.scoreline.serve.observe.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every answered request (or a sampled share of them) to an Elasticsearch data stream, for Kibana. A request only offers
 * its {@link Exchange} to a bounded queue, which never blocks: a full queue drops it, counted. One background thread
 * installs the index template (retrying while Elasticsearch is down, counted), then sends what the queue holds in bulk
 * requests ({@link BulkSender}); a failed bulk request drops its documents, and documents Elasticsearch refuses are
 * dropped one by one, each counted by reason.
 */
public final class RequestLog implements Telemetry, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestLog.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1), LONGEST_RETRY = Duration.ofSeconds(30);

    /** Where and how much: the data stream, the share of requests logged (0..1), the queue's size, the bulk size and linger. */
    public record Settings(String dataStream, double sampleRate, int queue, int batch, Duration linger, int defaultDeadlineMs) {}

    private final Settings settings;
    private final Rest5Client rest;
    private final BulkSender sender;
    private final ArrayBlockingQueue<Exchange> queue;
    private final AtomicLong queueFull = new AtomicLong(), templateFailures = new AtomicLong();
    private final Thread worker;
    private volatile boolean installed, closing;

    public RequestLog(Settings settings, Rest5Client rest, String host) {
        this.settings = settings;
        this.rest = rest;
        this.sender = new BulkSender(rest, settings.dataStream(), settings.defaultDeadlineMs(), host);
        this.queue = new ArrayBlockingQueue<>(settings.queue());
        this.worker = Thread.ofPlatform().daemon().name("request-log").unstarted(this::run);
    }

    public RequestLog start() {
        worker.start();
        return this;
    }

    @Override
    public void answered(Exchange exchange) {
        if (closing) return;
        if (settings.sampleRate() < 1 && ThreadLocalRandom.current().nextDouble() >= settings.sampleRate()) return;
        if (!queue.offer(exchange)) queueFull.incrementAndGet();
    }

    /** Registers the log's meters: queue size, documents sent, drops by reason, template installation failures. */
    public void register(ServeMetrics metrics) {
        metrics.gauge("scoreline.request.log.queue", "Requests waiting to be sent to the request log", queue::size);
        metrics.gauge("scoreline.request.log.queue.capacity", "The request log queue's capacity (--log-queue)", () -> settings.queue());
        metrics.gauge("scoreline.request.log.template.installed", "1 once the request log's index template is installed",
            () -> installed ? 1 : 0);
        metrics.functionCounter("scoreline.request.log.sent", "Request log documents Elasticsearch stored", Tags.empty(), sender,
            BulkSender::stored);
        String dropped = "scoreline.request.log.dropped";
        String about = "Request log documents dropped: queue_full (the queue was full), unavailable (a bulk request failed:"
            + " Elasticsearch down, slow or overloaded), rejected (Elasticsearch refused the document)";
        metrics.functionCounter(dropped, about, Tags.of("reason", "queue_full"), queueFull, AtomicLong::get);
        metrics.functionCounter(dropped, about, Tags.of("reason", "unavailable"), sender, BulkSender::unavailable);
        metrics.functionCounter(dropped, about, Tags.of("reason", "rejected"), sender, BulkSender::rejected);
        metrics.functionCounter("scoreline.request.log.template.failures", "Failed attempts to install the request log's index template",
            Tags.empty(), templateFailures, AtomicLong::get);
    }

    private void run() {
        Duration wait = FIRST_RETRY;
        while (!installed && !closing) {
            try {
                LogTemplate.install(rest, settings.dataStream());
                installed = true;
                log.info("request log: index template '{}' installed; logging {} of requests", settings.dataStream(), settings.sampleRate());
            } catch (Exception e) {
                if (templateFailures.incrementAndGet() == 1 || templateFailures.get() % 20 == 0) {
                    log.warn("request log: could not install the index template '{}' (attempt {}; retrying in the background,"
                        + " requests queue meanwhile, up to --log-queue): {}", settings.dataStream(), templateFailures.get(), BulkSender.describe(e));
                }
                if (!pause(wait)) return;
                wait = longer(wait);
            }
        }
        List<Exchange> batch = new ArrayList<>(settings.batch());
        Duration backoff = FIRST_RETRY;
        while (!closing || !queue.isEmpty()) {
            try {
                Exchange first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                long until = System.nanoTime() + settings.linger().toNanos();
                while (batch.size() < settings.batch() && !closing) {
                    queue.drainTo(batch, settings.batch() - batch.size());
                    long left = until - System.nanoTime();
                    if (batch.size() >= settings.batch() || left <= 0) break;
                    Exchange next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) batch.add(next);
                }
                queue.drainTo(batch, settings.batch() - batch.size());
            } catch (InterruptedException e) {
                if (!closing) return;
            }
            boolean sent = batch.isEmpty() || sender.send(batch);
            batch.clear();
            // after a failed bulk request, wait before the next one (the queue fills and drops meanwhile, counted):
            // a cluster that is down or struggling gets no storm of requests, and the log no storm of warnings
            if (sent) backoff = FIRST_RETRY;
            else if (!closing && pause(backoff)) backoff = longer(backoff);
        }
    }

    private static Duration longer(Duration wait) {
        return wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
    }

    private boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    public long dropped() {
        return queueFull.get() + sender.unavailable() + sender.rejected();
    }

    /** Stops taking requests and sends what the queue holds, waiting at most a few seconds. */
    @Override
    public void close() {
        closing = true;
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            rest.close();
        } catch (java.io.IOException e) {
            log.debug("closing the request log's Elasticsearch client: {}", e.toString());
        }
    }
}
