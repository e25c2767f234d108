package io.scoreline.serve.scoring;

import io.scoreline.serve.pool.Pool;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The latest version of each pool, prepared for the served model on a thread of its own: started by the first request
 * that sees a new pool version or model (or by {@link #prepare} when one arrives), from what the previous one holds.
 * Requests wait for it only as long as their deadline allows; the preparing goes on to its end whatever they do, so
 * a pool too big to prepare within one deadline is prepared once and then served by the model, not begun again and
 * dropped by every request.
 */
final class PreparedPools implements AutoCloseable {
    private record Preparation(Pool.Snapshot snapshot, ServedModel model, CompletableFuture<PreparedPool> done) {
        boolean of(Pool.Snapshot snapshot, ServedModel model) {
            return this.snapshot == snapshot && this.model == model;
        }

        /** The prepared pool when it is done and sound, else null (a version of which nothing can be reused). */
        PreparedPool ready() {
            return done.isDone() && !done.isCompletedExceptionally() ? done.join() : null;
        }
    }

    private final Map<String, Preparation> latest = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("prepare-pool-", 0).factory());

    /** This pool version prepared for this model: at once when it is, else a future; a failed one is tried again by the next call. */
    CompletableFuture<PreparedPool> prepare(String pool, Pool.Snapshot snapshot, ServedModel model) {
        Preparation current = latest.get(pool);
        if (current != null && current.of(snapshot, model)) return current.done;
        var next = new Preparation(snapshot, model, new CompletableFuture<>());
        Preparation[] replaced = new Preparation[1];
        current = latest.compute(pool, (name, old) -> {
            if (old != null && old.of(snapshot, model)) return old;  // another request started it meanwhile
            replaced[0] = old;
            return next;
        });
        if (current != next) return current.done;
        PreparedPool previous = replaced[0] == null ? null : replaced[0].ready();
        threads.execute(() -> {
            try {
                next.done.complete(PreparedPool.of(snapshot, model, previous));
            } catch (Throwable e) {  // an interrupt (closing) or a bug: the requests waiting answer from the fallbacks
                latest.remove(pool, next);
                next.done.completeExceptionally(e);
            }
        });
        return next.done;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
