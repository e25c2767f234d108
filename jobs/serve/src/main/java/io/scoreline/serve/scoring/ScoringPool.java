package io.scoreline.serve.scoring;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs model calls on a bounded pool of platform threads (scoring is CPU work: one thread per core) and waits for each
 * at most the time its request has left. A full queue refuses at once; a call whose deadline passed in the queue is
 * skipped; a call that runs late is interrupted and its answer dropped.
 */
public final class ScoringPool implements AutoCloseable {
    /** A model answer, or why there is none: timeout, error, overloaded. */
    public record Outcome<T>(T value, String failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private final ThreadPoolExecutor threads;

    public ScoringPool(int size, int queue) {
        this.threads = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
            Thread.ofPlatform().daemon().name("scoring-", 0).factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    public <T> Outcome<T> call(Deadline deadline, Callable<T> work) {
        Future<T> future;
        try {
            future = threads.submit(() -> {
                if (deadline.passed()) throw new TimeoutException("the deadline passed while queued");
                return work.call();
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
