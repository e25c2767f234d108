package io.scoreline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A fetch window is (after, upTo]: the watermark's documents were already read, the interval end's are this run's. */
class WindowTest {
    private static final Instant AFTER = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant UP_TO = Instant.parse("2026-01-01T11:00:00Z");
    private final Window window = new Window(AFTER, UP_TO);

    @Test
    void afterIsExclusive() {
        assertFalse(window.contains(AFTER));
        assertTrue(window.contains(AFTER.plusMillis(1)));
        assertFalse(window.contains(AFTER.minusMillis(1)));
    }

    @Test
    void upToIsInclusive() {
        assertTrue(window.contains(UP_TO));
        assertFalse(window.contains(UP_TO.plusMillis(1)));
    }

    @Test
    void nullAfterMeansFromTheBeginning() {
        Window all = new Window(null, UP_TO);
        assertTrue(all.contains(Instant.EPOCH));
        assertTrue(all.contains(Instant.parse("1900-01-01T00:00:00Z")));
        assertTrue(all.contains(UP_TO));
        assertFalse(all.contains(UP_TO.plusSeconds(1)));
        assertEquals("(-inf, 2026-01-01T11:00:00Z]", all.toString());
    }
}
