package io.scoreline.serve.fallback;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.scoreline.core.error.JobException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last good model answer per request key, in Redis. Writes are fire-and-forget (never on the request path); a read
 * waits at most the time the request has left. Redis down or slow costs a request that budget and nothing more: a
 * disconnected client rejects commands at once instead of queueing them, and the connection is retried in the background.
 * Values are bytes (UTF-8 JSON) as they go over the wire: no text to encode or decode on the way.
 */
public final class AnswerCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AnswerCache.class);
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(5);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final String where;
    private final Duration ttl;
    private final String prefix;
    private final AtomicLong errors = new AtomicLong();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile long nextAttempt;

    public AnswerCache(RedisURI uri, Duration ttl, String prefix) {
        this.client = RedisClient.create(uri);
        this.where = uri.getHost() + ":" + uri.getPort();
        this.client.setOptions(ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
            .build());
        this.ttl = ttl;
        this.prefix = prefix;
        connect();
    }

    /**
     * --redis-url with the credentials of their own options: a password inside the URL is refused, so it can never
     * reach a log line (--verbose prints the URL).
     */
    public static RedisURI uri(String url, String username, String password) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw JobException.usage("--redis-url: not a Redis URL (expected redis://host:port or rediss://host:port)");
        }
        if (uri.getCredentialsProvider() != null && url.contains("@")) {
            throw JobException.usage("--redis-url must not carry credentials: use --redis-password (and --redis-username)");
        }
        if (password != null && !password.isBlank()) {
            if (username != null && !username.isBlank()) uri.setAuthentication(username, password.toCharArray());
            else uri.setAuthentication(password.toCharArray());
        }
        return uri;
    }

    public String key(String... parts) {
        return prefix + String.join(":", parts);
    }

    /**
     * Starts reading a key now, alongside the model call, so that a fallback after a timeout needs no Redis round trip
     * of its own; {@link #await} takes the answer if it came in time.
     */
    public CompletableFuture<byte[]> lookup(String key) {
        var redis = connected();
        if (redis == null) return CompletableFuture.completedFuture(null);
        try {
            return redis.async().get(key).toCompletableFuture();
        } catch (RuntimeException e) {
            failed("read from", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The looked-up value, or empty when there is none, Redis is down, or it did not answer within {@code wait}. */
    public Optional<byte[]> await(CompletableFuture<byte[]> lookup, Duration wait) {
        try {
            return Optional.ofNullable(lookup.get(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            failed("read from", e);
            return Optional.empty();
        }
    }

    /** Stores a value with the TTL; returns at once, a failure is only counted and logged. */
    public void put(String key, byte[] value) {
        var redis = connected();
        if (redis == null) return;
        try {
            redis.async().set(key, value, SetArgs.Builder.px(ttl.toMillis())).whenComplete((ok, e) -> {
                if (e != null) failed("write to", e);
            });
        } catch (RuntimeException e) {
            failed("write to", e);
        }
    }

    public long errors() {
        return errors.get();
    }

    private StatefulRedisConnection<String, byte[]> connected() {
        var current = connection;
        if (current == null && System.nanoTime() >= nextAttempt) {
            Thread.ofVirtual().start(this::connect);  // never on the request path
            nextAttempt = System.nanoTime() + RECONNECT_EVERY.toNanos();
        }
        if (current != null && current.isOpen()) return current;
        // connected once, lost since: Lettuce reconnects in the background; the command is not sent, and counted as failed
        if (current != null) failed("use", "disconnected, reconnecting in the background");
        return null;
    }

    private synchronized void connect() {
        if (connection != null) return;
        try {
            connection = client.connect(CODEC);
            log.info("answer cache: connected to Redis at {}", where);
        } catch (RuntimeException e) {
            nextAttempt = System.nanoTime() + RECONNECT_EVERY.toNanos();
            failed("connect to", e);
        }
    }

    private void failed(String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        failed(what, root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
    }

    /** Counted, and logged the first time and every 1000th: a Redis that stays down does not flood the log. */
    private void failed(String what, String why) {
        if (errors.incrementAndGet() % 1000 == 1) {
            log.warn("answer cache: could not {} Redis at {} ({}); answering without it (failures so far: {})", what, where, why, errors.get());
        }
    }

    @Override
    public void close() {
        var current = connection;
        if (current != null) current.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
