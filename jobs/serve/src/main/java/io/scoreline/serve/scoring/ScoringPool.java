package io.scoreline.serve.scoring;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs model calls on a bounded pool of platform threads (scoring is CPU work: one thread per core) and waits for each
 * at most the time its request has left. A call that cannot finish in time is not queued at all: when the calls ahead
 * of it (at the recent time per call) and its own would end past the model's share of the deadline, it is refused at
 * once ("overloaded") so the request answers from a fallback early instead of timing out late. A full queue refuses
 * too; a call whose deadline passed in the queue is skipped; a call that runs late is interrupted and its answer dropped.
 */
public final class ScoringPool implements AutoCloseable {
    /** A model answer, or why there is none: timeout, error, overloaded. */
    public record Outcome<T>(T value, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final ThreadPoolExecutor threads;
    private final int size;
    /** The recent time of one call, in nanoseconds: an exponentially weighted mean (weight 1/8 for the newest). */
    private final AtomicLong callNanos = new AtomicLong();

    public ScoringPool(int size, int queue) {
        this.threads = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
            Thread.ofPlatform().daemon().name("scoring-", 0).factory(), new ThreadPoolExecutor.AbortPolicy());
        this.size = size;
    }

    /**
     * When the call would end, were it queued now: the calls ahead of it, spread over the threads, then its own. Zero
     * while a thread is free: such a call always runs, so the estimate learns when the model is quick again.
     */
    private long expectedNanos() {
        long ahead = threads.getQueue().size() + threads.getActiveCount();
        return ahead < size ? 0 : callNanos.get() * (ahead / size + 1);
    }

    private void took(long nanos) {
        callNanos.updateAndGet(mean -> mean == 0 ? nanos : mean + (nanos - mean) / 8);
    }

    public <T> Outcome<T> call(Deadline deadline, Callable<T> work) {
        if (expectedNanos() > deadline.modelNanosLeft()) return new Outcome<>(null, "overloaded");
        Future<T> future;
        try {
            future = threads.submit(() -> {
                if (deadline.passed()) throw new TimeoutException("the deadline passed while queued");
                long started = System.nanoTime();
                try {
                    return work.call();
                } finally {
                    took(System.nanoTime() - started);
                }
            });
        } catch (RejectedExecutionException e) {
            return new Outcome<>(null, "overloaded");
        }
        try {
            return new Outcome<>(future.get(Math.max(0, deadline.modelNanosLeft()), TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome<>(null, "timeout");
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause() instanceof TimeoutException ? "timeout" : e.getCause() instanceof Unscorable ? "unscorable" : "error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Outcome<>(null, "error");
        }
    }

    /** No candidate could be turned into a row the model reads. */
    public static final class Unscorable extends Exception {
        public Unscorable(String reason) {
            super(reason, null, false, false);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
