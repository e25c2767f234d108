package io.scoreline.core.run;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a line every {@code every} items so a long read shows it is alive, and how fast it goes. */
public final class Progress {
    private final Logger log;
    private final String what;
    private final long every;
    private final long startNanos = System.nanoTime();
    private final AtomicLong count = new AtomicLong();

    public Progress(Logger log, String what, long every) {
        this.log = log;
        this.what = what;
        this.every = every;
    }

    public void add(long n) {
        long before = count.getAndAdd(n);
        if (before / every != (before + n) / every) {
            log.info("{} {} so far ({}/s)", what, before + n, rate(before + n));
        }
    }

    public long count() {
        return count.get();
    }

    private long rate(long n) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        return Math.round(n / seconds);
    }
}
