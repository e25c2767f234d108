package io.scoreline.core.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Rejected documents never fail fetch or predict (publish judges the fraction), so each says how many and where they
 * are, on stderr: a model whose features the documents lack is otherwise only a count in the summary line.
 */
public final class RejectWarning {
    private RejectWarning() {}

    /** @param where the rejected file, as the store describes it */
    public static void print(CommandSpec spec, long rejected, long of, String documents, String where) {
        if (rejected == 0) return;
        spec.commandLine().getErr().printf(Locale.ROOT, "%s: warning: rejected %d of %d %s (%.1f%%); each with its reason in %s%n",
            spec.qualifiedName(), rejected, of, documents, 100.0 * rejected / Math.max(1, of), where);
        spec.commandLine().getErr().flush();
    }
}
