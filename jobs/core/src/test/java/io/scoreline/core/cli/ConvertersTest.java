package io.scoreline.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Durations and instants as people and Airflow type them. */
class ConvertersTest {
    private final Converters.DurationConverter duration = new Converters.DurationConverter();
    private final Converters.InstantConverter instant = new Converters.InstantConverter();
    private final Converters.SizeConverter size = new Converters.SizeConverter();

    @ParameterizedTest
    @CsvSource({"512MiB, 536870912", "2GiB, 2147483648", "64KiB, 65536", "1048576, 1048576", "' 8 MiB ', 8388608", "0, 0"})
    void sizes(String typed, long bytes) {
        assertEquals(bytes, size.convert(typed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "512MB", "512 mb", "-1", "1.5GiB", "lots", "99999999999999999999", "9999999999GiB"})
    void badSizesSayWhatToType(String typed) {
        var e = assertThrows(TypeConversionException.class, () -> size.convert(typed));
        assertEquals("'" + typed + "' is not a size: use e.g. 512MiB, 2GiB or a number of bytes", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"30s, PT30S", "5m, PT5M", "2h, PT2H", "1d, PT24H", "250ms, PT0.25S", "0s, PT0S",
        "PT5M, PT5M", "pt5m, PT5M", "' 5M ', PT5M", "P1DT1H, PT25H"})
    void durations(String typed, String expected) {
        assertEquals(Duration.parse(expected), duration.convert(typed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "-5m", "5w", "abc", "P", "1.5h"})
    void badDurationsSayWhatToType(String typed) {
        var e = assertThrows(TypeConversionException.class, () -> duration.convert(typed));
        assertEquals("'" + typed + "' is not a duration: use e.g. 30s, 5m, 2h or PT5M", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T10:05:00Z", "2026-01-01T12:05:00+02:00", "2026-01-01T10:05:00+00:00",
        "2026-01-01 10:05:00+00:00", "2026-01-01T05:05:00-05:00", "2026-01-01T10:05:00.000Z"})
    void instantsWithZoneOrOffset(String typed) {
        assertEquals(Instant.parse("2026-01-01T10:05:00Z"), instant.convert(typed));
    }

    @Test
    void nowIsTheCurrentTime() {
        Instant before = Instant.now();
        Instant now = instant.convert("now");
        Instant upper = Instant.now();
        assertFalse(now.isBefore(before));
        assertFalse(now.isAfter(upper));
        assertFalse(instant.convert("NOW").isBefore(before));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T10:05:00", "2026-01-01", "yesterday", "", "1767261900000"})
    void instantsWithoutOffsetAreRefused(String typed) {
        var e = assertThrows(TypeConversionException.class, () -> instant.convert(typed));
        assertTrue(e.getMessage().startsWith("'" + typed + "' is not a time: use ISO-8601 with an offset"), e.getMessage());
    }
}
