package io.scoreline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Run ids are safe as one path segment in every store: [A-Za-z0-9._:+-], 1 to 200 characters, never . or .. */
class RunIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"scheduled__2026-01-01T00:05:00+00:00", "manual__2026-01-01T00:05:00.123456+00:00",
        "cron__2026-01-01T00:05:00Z", "a", "run.1", "A-Z_0-9", "0.run", "a..."})
    void acceptsAirflowAndCronRunIds(String value) {
        assertEquals(value, RunId.parse(value).value());
        assertEquals(value, RunId.parse(value).toString());
    }

    @Test
    void acceptsExactly200Characters() {
        String longest = "r".repeat(200);
        assertEquals(longest, RunId.parse(longest).value());
    }

    @Test
    void refuses201Characters() {
        JobException e = assertThrows(JobException.class, () -> RunId.parse("r".repeat(201)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("invalid run id '" + "r".repeat(60) + "…'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "../x", "a\\b", "a b", "a\nb", "run#1", "run?x", "é", "a%2Fb", "...", ".hidden", "-x", ":x"})
    void refusesAnythingElse(String value) {
        JobException e = assertThrows(JobException.class, () -> RunId.parse(value));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("invalid run id '" + value + "': use 1 to 200 characters from [A-Za-z0-9._:+-], starting with a letter or digit", e.getMessage());
    }

    @Test
    void refusesNull() {
        JobException e = assertThrows(JobException.class, () -> RunId.parse(null));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void layoutKeepsEveryRunFileUnderItsOwnFolder() {
        RunId run = RunId.parse("scheduled__2026-01-01T00:05:00+00:00");
        assertEquals("runs/scheduled__2026-01-01T00:05:00+00:00/input.ndjson.gz", Layout.input(run));
        assertEquals("runs/scheduled__2026-01-01T00:05:00+00:00/fetch.json", Layout.manifest(run, "fetch"));
    }
}
