package io.scoreline.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The digit-by-digit reading of update times gives Instant.parse's answer, instant or refusal, for every text. */
class UtcTimesTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T09:58:12Z", "2026-11-25T09:58:12.5Z", "2026-11-25T09:58:12.123456789Z",
        "2026-11-25T09:58:12.000Z", "2024-02-29T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        "1969-12-31T23:59:59.1Z", "2026-11-25t09:58:12z", "2026-11-25T09:58:12+01:00", "2026-11-25T24:00:00Z",
        "2026-12-31T23:59:60Z", "+12026-11-25T09:58:12Z", "-2026-11-25T09:58:12Z", "2026-11-25T09:58:12.Z"})
    void sameInstantAsInstantParse(String text) {
        assertEquals(Instant.parse(text), UtcTimes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T25:00:00Z",
        "2026-11-25T09:60:00Z", "2026-11-25T09:58:12.1234567890Z", "2026-11-25T09:58Z",
        "2026-11-25 09:58:12Z", "2026-11-25T09:58:12", "2026-1a-25T09:58:12Z", "", "Z",
        "2026-11-25T09:58:1٣Z"})
    void refusedWhereInstantParseRefuses(String text) {
        assertThrows(DateTimeParseException.class, () -> Instant.parse(text));
        assertThrows(DateTimeParseException.class, () -> UtcTimes.parse(text));
    }
}
