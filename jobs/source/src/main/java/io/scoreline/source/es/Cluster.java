package io.scoreline.source.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request to Elasticsearch goes through {@link #call}: retried with backoff when the failure is transient, sent in the
 * dialect the server speaks ({@link ServerDialect}), and otherwise turned into a one-line {@link JobException}.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    interface Request<T> {
        T send(ElasticsearchClient client) throws IOException;
    }

    private final ElasticsearchClient native_;
    private final String urls;
    private final Backoff backoff;
    private volatile ElasticsearchClient client;

    Cluster(ElasticsearchClient client, String urls, Backoff backoff) {
        this.native_ = client;
        this.client = client;
        this.urls = urls;
        this.backoff = backoff;
    }

    /** The node URLs, without credentials. */
    public String urls() {
        return urls;
    }

    /** Sends a request; {@code what} names it in messages, e.g. "open a point-in-time on index 'items'". */
    <T> T call(String what, Request<T> request) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            ElasticsearchClient current = client;
            try {
                return request.send(current);
            } catch (Exception e) {
                if (ServerDialect.isOlderServer(e) && current == native_) {
                    log.info("Elasticsearch at {} is older than the 9.x client: speaking its 8.x REST API", urls);
                    client = ServerDialect.compatibleWith8(native_);
                    attempt--;
                    continue;
                }
                Failure failure = Failure.of(e);
                if (!failure.transient_() || attempt > backoff.retries()) throw failure.toJobException(what, urls, attempt, started);
                var wait = backoff.before(attempt);
                log.warn("{}: {}; retry {}/{} in {} ms", what, failure.summary(), attempt, backoff.retries(), wait.toMillis());
                sleep(wait.toMillis());
            }
        }
    }

    /** Sends a request once, without retries: for clean-up on the way out, where waiting would only delay the exit. */
    <T> T callOnce(String what, Request<T> request) {
        try {
            return request.send(client);
        } catch (Exception e) {
            throw Failure.of(e).toJobException(what, urls, 1, System.nanoTime());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException(ExitCode.SOURCE_UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }

    @Override
    public void close() {
        try {
            native_._transport().close();
        } catch (IOException e) {
            log.debug("closing the Elasticsearch client: {}", e.toString());
        }
    }
}
