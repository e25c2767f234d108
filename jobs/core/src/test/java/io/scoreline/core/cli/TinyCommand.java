package io.scoreline.core.cli;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The smallest job: prints its configuration, or fails the way it is told to. */
@Command(name = "tiny", mixinStandardHelpOptions = true)
final class TinyCommand implements Callable<Integer> {
    @Mixin RunOptions run;

    @Option(names = "--color", defaultValue = "blue")
    String color;

    @Option(names = "--max-items", defaultValue = "10")
    int maxItems;

    @Option(names = "--fail-with", description = "Throw a JobException with this exit code.")
    ExitCode failWith;

    @Option(names = "--crash", description = "Throw an unexpected exception.")
    boolean crash;

    @Mixin VerboseOption verbose;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (crash) throw new IllegalStateException("boom");
        if (failWith != null) throw new JobException(failWith, "failed on purpose: fix the thing and rerun");
        spec.commandLine().getOut().println("run=" + run.runId() + " color=" + color + " max-items=" + maxItems);
        return 0;
    }
}
