package io.scoreline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines on a fake clock: one per interval, none for a short run, totals, percent, rate and time left. */
class ProgressTest {
    private long now = 1_000_000_000L;
    private final List<String> lines = new ArrayList<>();

    private Progress progress(long total, Duration interval) {
        return new Progress("documents scored", total, interval, () -> now, lines::add);
    }

    private void advance(Duration d) {
        now += d.toNanos();
    }

    @Test
    void aRunShorterThanTheIntervalPrintsNothing() {
        Progress p = progress(1000, Duration.ofSeconds(10));
        for (int i = 0; i < 9; i++) {
            advance(Duration.ofSeconds(1));
            p.add(100);
        }
        assertEquals(List.of(), lines);
        assertEquals(900, p.count());
    }

    @Test
    void oneLinePerIntervalWithTotalPercentRateAndTimeLeft() {
        Progress p = progress(1_000_000, Duration.ofSeconds(10));
        for (int s = 1; s <= 25; s++) {
            advance(Duration.ofSeconds(1));
            p.add(10_000);
        }
        assertEquals(List.of(
            "100,000 of 1,000,000 documents scored (10.0%), 10,000/s, 1m30s left, 10s elapsed",
            "200,000 of 1,000,000 documents scored (20.0%), 10,000/s, 1m20s left, 20s elapsed"), lines);
    }

    @Test
    void withoutATotalCountAndRateOnly() {
        Progress p = new Progress("documents read", -1, Duration.ofSeconds(5), () -> now, lines::add);
        advance(Duration.ofSeconds(6));
        p.add(1_234_567);
        assertEquals(List.of("1,234,567 documents read, 205,761/s, 6s elapsed"), lines);
    }

    @Test
    void aLateReportDoesNotBunchTheNextOnes() {
        Progress p = progress(100, Duration.ofSeconds(10));
        advance(Duration.ofSeconds(35)); // a long stall: one line, then the next a whole interval later
        p.add(10);
        advance(Duration.ofSeconds(1));
        p.add(10);
        advance(Duration.ofSeconds(9));
        p.add(10);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("30 of 100 documents scored (30.0%), 1/s, 1m45s left, 45s elapsed", lines.get(1));
    }

    @Test
    void zeroIntervalIsOffAndLongTimesReadInHours() {
        Progress off = progress(10, Progress.OFF);
        advance(Duration.ofHours(1));
        off.add(5);
        assertEquals(List.of(), lines);

        Progress slow = progress(10_000, Duration.ofSeconds(10));
        advance(Duration.ofSeconds(3600));
        slow.add(1000);
        assertEquals(List.of("1,000 of 10,000 documents scored (10.0%), 0/s, 9h00m left, 1h00m elapsed"), lines);
    }
}
