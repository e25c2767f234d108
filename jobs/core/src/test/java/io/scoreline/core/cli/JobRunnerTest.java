package io.scoreline.core.cli;

import io.scoreline.core.error.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The edge: one exit code per failure kind, one line on stderr, stack traces only with --verbose. */
class JobRunnerTest {

    private static InProcess tiny(String... args) {
        return InProcess.run(TinyCommand::new, Map.of(), args);
    }

    @Test
    void helpEndsWithTheOneExitCodeTable() {
        InProcess r = tiny("--help");
        assertEquals(0, r.exitCode(), r::toString);
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Exit codes"), r.out());
        for (ExitCode code : ExitCode.values()) {
            assertTrue(help.contains(" " + code.code() + " " + code.meaning()), code + " missing from\n" + r.out());
        }
    }

    @Test
    void successExitsZeroAndPrintsToOut() {
        InProcess r = tiny("--run-id", "r1");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void unknownFlagIsOneLineUsageErrorWithoutStackTrace() {
        InProcess r = tiny("--run-id", "r1", "--colour", "red");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("tiny: ") && line.contains("--colour") && line.contains("see 'tiny --help'"), line);
        assertEquals("", r.out());
    }

    @Test
    void badFlagValueIsOneLineUsageError() {
        InProcess r = tiny("--run-id", "r1", "--max-items", "lots");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("'lots'"), r::toString);
    }

    @Test
    void invalidRunIdIsUsageErrorNamingTheAllowedCharacters() {
        InProcess r = tiny("--run-id", "../etc");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("[A-Za-z0-9._:+-]"), r::toString);
    }

    @Test
    void missingRunIdIsUsageError() {
        InProcess r = tiny();
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("--run-id is required"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(value = ExitCode.class, names = {"USAGE", "SOURCE_UNAVAILABLE", "STORE_UNAVAILABLE", "MODEL_INVALID", "VALIDATION_REFUSED"})
    void jobExceptionExitsWithItsCodeAndOneLine(ExitCode code) {
        InProcess r = tiny("--run-id", "r1", "--fail-with", code.name());
        assertEquals(code.code(), r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertEquals("tiny: error: failed on purpose: fix the thing and rerun", r.errLines().get(0));
    }

    @Test
    void unexpectedExceptionIsABugWithoutStackTrace() {
        InProcess r = tiny("--run-id", "r1", "--crash");
        assertEquals(1, r.exitCode(), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
        assertEquals(List.of("tiny: error: " + ExitCode.BUG.meaning()), r.errLines(), "one line without the class: " + r);
        assertTrue(r.err().contains("--verbose"), r::toString);
    }

    @Test
    void verboseShowsTheStackTrace() {
        InProcess r = tiny("--run-id", "r1", "--crash", "--verbose");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat io.scoreline.core.cli.TinyCommand.call"), r::toString);
    }

    @Test
    void verboseJobExceptionKeepsItsExitCode() {
        InProcess r = tiny("--run-id", "r1", "--fail-with", "STORE_UNAVAILABLE", "--verbose");
        assertEquals(4, r.exitCode(), r::toString);
        assertTrue(r.err().contains("\tat "), r::toString);
    }

    @Test
    void exitCodeNumbersAreTheDocumentedOnes() {
        assertEquals(0, ExitCode.OK.code());
        assertEquals(1, ExitCode.BUG.code());
        assertEquals(2, ExitCode.USAGE.code());
        assertEquals(3, ExitCode.SOURCE_UNAVAILABLE.code());
        assertEquals(4, ExitCode.STORE_UNAVAILABLE.code());
        assertEquals(5, ExitCode.MODEL_INVALID.code());
        assertEquals(6, ExitCode.VALIDATION_REFUSED.code());
        assertEquals(ExitCode.MODEL_INVALID, ExitCode.of(5));
        assertEquals(ExitCode.BUG, ExitCode.of(42));
    }

    @Test
    void helpExitsZero() {
        InProcess r = tiny("--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("--color"), r::toString);
    }
}
