package io.scoreline.core.cli;

import io.scoreline.core.error.ExitCode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Every command's help ends with the one exit-code table, built from {@link ExitCode}. A command's own
 * {@code exitCodeList} entries ("2:e.g. fetch has not run") are notes added to the shared meaning, never a second table.
 */
final class ExitCodeHelp {
    private ExitCodeHelp() {}

    static void apply(CommandLine cli) {
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        Map<String, String> notes = new LinkedHashMap<>();
        usage.exitCodeList().forEach((code, note) -> notes.put(code.strip(), note.strip()));
        Map<String, String> table = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            String key = String.valueOf(code.code());
            String note = notes.get(key);
            table.put("   " + key, code.meaning() + (note == null || note.isEmpty() ? "" : " (" + note + ")")
                + (code.retried() ? "; retried by the DAG" : ""));
        }
        usage.exitCodeListHeading("%nExit codes (one table for every job):%n").exitCodeList(table);
        cli.getSubcommands().values().forEach(ExitCodeHelp::apply);
    }
}
