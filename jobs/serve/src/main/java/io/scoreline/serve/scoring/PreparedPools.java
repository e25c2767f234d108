package io.scoreline.serve.scoring;

import io.scoreline.serve.pool.Pool;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest prepared version of each pool: prepared again, on the scoring thread of the first request that sees a
 * new pool version or model, from what the previous one already holds. Two requests may prepare the same version at
 * once; either result is right, and the next request keeps whichever was stored last.
 */
final class PreparedPools {
    private final Map<String, PreparedPool> latest = new ConcurrentHashMap<>();

    PreparedPool get(String pool, Pool.Snapshot snapshot, ServedModel model) throws InterruptedException {
        PreparedPool current = latest.get(pool);
        if (current != null && current.snapshot == snapshot && current.model == model) return current;
        PreparedPool next = PreparedPool.of(snapshot, model, current);
        latest.put(pool, next);
        return next;
    }
}
