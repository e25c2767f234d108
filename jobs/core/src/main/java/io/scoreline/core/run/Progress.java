package io.scoreline.core.run;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How far a long job got, one compact line per interval: count, total and percent when the total is known, rate, and
 * the time left. Nothing before the first interval has passed, so a short run prints no progress at all. Checked on
 * {@link #add}, which is thread-safe and costs one clock read.
 */
public final class Progress {
    /** Off: {@link #add} only counts. */
    public static final Duration OFF = Duration.ZERO;

    private final String what;
    private final long total;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Consumer<String> out;
    private final long start;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextReport;

    /**
     * @param what      what is counted, e.g. "documents scored"
     * @param total     how many there will be, or a negative number when the job cannot know it
     * @param interval  time between two lines; zero turns the lines off
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param out       where each line goes (a logger)
     */
    public Progress(String what, long total, Duration interval, LongSupplier nanoClock, Consumer<String> out) {
        this.what = what;
        this.total = total;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.out = out;
        this.start = nanoClock.getAsLong();
        this.nextReport = new AtomicLong(start + intervalNanos);
    }

    public static Progress logging(org.slf4j.Logger log, String what, long total, Duration interval) {
        return new Progress(what, total, interval, System::nanoTime, log::info);
    }

    public void add(long n) {
        long now = count.addAndGet(n);
        if (intervalNanos <= 0) return;
        long time = nanoClock.getAsLong();
        long due = nextReport.get();
        // one thread wins the report; the next one is due a whole interval later, however late this one came
        if (time - due >= 0 && nextReport.compareAndSet(due, time + intervalNanos)) out.accept(line(now, time - start));
    }

    public long count() {
        return count.get();
    }

    /** e.g. "120,000 of 1,000,000 documents scored (12.0%), 11,800/s, 1m14s left" or "120,000 documents read, 11,800/s". */
    String line(long done, long elapsedNanos) {
        double seconds = Math.max(1e-9, elapsedNanos / 1e9);
        double rate = done / seconds;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d", done));
        if (total >= 0) b.append(String.format(Locale.ROOT, " of %,d", total));
        b.append(' ').append(what);
        if (total > 0) b.append(String.format(Locale.ROOT, " (%.1f%%)", Math.min(100.0, 100.0 * done / total)));
        b.append(String.format(Locale.ROOT, ", %,d/s", Math.round(rate)));
        if (total >= 0 && done < total && rate > 0) b.append(", ").append(duration((total - done) / rate)).append(" left");
        return b.append(", ").append(duration(seconds)).append(" elapsed").toString();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
        return s / 3600 + "h" + String.format(Locale.ROOT, "%02dm", s % 3600 / 60);
    }
}
