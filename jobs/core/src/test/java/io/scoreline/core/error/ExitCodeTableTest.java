package io.scoreline.core.error;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoreline.core.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** exit-codes.json is the one table: the enum, the DAGs' copy and the README's table all agree with it. */
class ExitCodeTableTest {
    private static final String SOURCE = "jobs/core/src/main/resources/io/scoreline/core/error/exit-codes.json";
    private static final String DAGS_COPY = "dags/scoreline/exit_codes.json";

    @Test
    void everyConstantHasItsRow() {
        for (ExitCode code : ExitCode.values()) {
            ExitCodeTable.Row row = ExitCodeTable.row(code);
            assertEquals(code.code(), row.code(), code.name());
            assertEquals(code.name(), row.name());
            assertTrue(!row.meaning().isBlank(), code.name());
        }
        assertTrue(ExitCode.SOURCE_UNAVAILABLE.retried() && ExitCode.STORE_UNAVAILABLE.retried());
        assertTrue(!ExitCode.USAGE.retried() && !ExitCode.MODEL_INVALID.retried() && !ExitCode.VALIDATION_REFUSED.retried());
    }

    @Test
    void theDagsReadTheSameFile() throws IOException {
        byte[] source = Files.readAllBytes(Repository.file(SOURCE));
        assertArrayEquals(source, Files.readAllBytes(Repository.file(DAGS_COPY)),
            DAGS_COPY + " differs from " + SOURCE + ": edit the source, then cp " + SOURCE + " " + DAGS_COPY);
    }

    @Test
    void theReadmeTableAgrees() throws IOException {
        assertTableAgrees("README.md", Files.readString(Repository.file("README.md")));
    }

    @Test
    void theOperationsGuideTableAgrees() throws IOException {
        assertTableAgrees("docs/operations.md", Files.readString(Repository.file("docs/operations.md")));
    }

    /** A markdown table "| code | meaning (details) | retried (yes/no) | ..." under a heading "Exit codes". */
    private static void assertTableAgrees(String file, String markdown) {
        String section = markdown.substring(markdown.indexOf("Exit codes"));
        Pattern row = Pattern.compile("(?m)^\\| (\\d) \\| ([^|]*?) \\| *(yes|no)? *\\|");
        Map<Integer, MatchResult> rows = new TreeMap<>();
        row.matcher(section).results().forEach(r -> rows.putIfAbsent(Integer.parseInt(r.group(1)), r));
        assertEquals(ExitCode.values().length, rows.size(), file + ": one row per exit code: " + rows.keySet());
        for (ExitCode code : ExitCode.values()) {
            MatchResult r = rows.get(code.code());
            String meaning = code.meaning().replaceFirst(" \\(.*", "");
            assertTrue(r.group(2).startsWith(meaning), file + ": exit " + code.code() + " should read '" + meaning + "…', not '" + r.group(2) + "'");
            String retried = code == ExitCode.OK ? "" : code.retried() ? "yes" : "no";
            assertEquals(retried, r.group(3) == null ? "" : r.group(3), file + ": is exit " + code.code() + " retried?");
        }
    }
}
