package io.scoreline.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.serve.fallback.AnswerCache;
import io.scoreline.testkit.ItServers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Redis that goes away after the cache connected to it ({@link TcpProxy} in front of the shared server stops): every
 * read and write that cannot be made is counted (scoreline_redis_errors_total), and none waits.
 */
class AnswerCacheOutageTest {
    @Test
    void commandsWhileRedisIsGoneAreCountedAndNeverWaitedFor() throws Exception {
        try (TcpProxy redis = new TcpProxy(ItServers.redis())) {
            var url = "redis://127.0.0.1:" + URI.create(redis.url()).getPort();
            try (var cache = new AnswerCache(AnswerCache.uri(url, null, null), Duration.ofMinutes(1), "serve-outage-" + System.nanoTime() + ":")) {
                String key = cache.key("rank", "k");
                cache.put(key, "answer".getBytes(StandardCharsets.UTF_8));
                assertEquals("answer", new String(cache.await(cache.lookup(key), Duration.ofSeconds(5)).orElseThrow(), StandardCharsets.UTF_8));
                assertEquals(0, cache.errors());

                redis.stop();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (cache.errors() < 2 && System.nanoTime() < until) {
                    long started = System.nanoTime();
                    assertTrue(cache.await(cache.lookup(key), Duration.ofMillis(50)).isEmpty());
                    cache.put(key, "later".getBytes(StandardCharsets.UTF_8));
                    assertTrue(System.nanoTime() - started < Duration.ofMillis(500).toNanos(), "a lookup waited for a Redis that is gone");
                    Thread.sleep(50);
                }
                assertTrue(cache.errors() >= 2, "reads and writes while Redis is gone are counted: " + cache.errors());
            }
        }
    }
}
