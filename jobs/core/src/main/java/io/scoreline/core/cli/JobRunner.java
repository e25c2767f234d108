package io.scoreline.core.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The edge of every job: parses arguments, maps every failure to one exit code and one line on stderr
 * (a stack trace only with --verbose). Business code throws {@link JobException}; nothing else exits.
 */
public final class JobRunner {
    private JobRunner() {}

    public static void main(Supplier<Object> command, String[] args) {
        System.exit(run(command, args, System.getenv(), null, null));
    }

    /**
     * Runs in-process; tests pass their own environment and writers. The command is created after logging is
     * configured, so --verbose reaches every logger.
     */
    public static int run(Supplier<Object> command, String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose") || "true".equalsIgnoreCase(env.get("SCORELINE_VERBOSE"));
        if (verbose) System.setProperty("org.slf4j.simpleLogger.log.io.scoreline", "debug");
        CommandLine cli = commandLine(command.get(), env, verbose);
        if (out != null) cli.setOut(out);
        if (err != null) cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine(Object command, Map<String, String> env, boolean verbose) {
        CommandLine cli = new CommandLine(command);
        cli.setDefaultValueProvider(new EnvDefaults(env));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(name(failed) + ": " + e.getMessage()
                + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((Exception e, CommandLine failed, CommandLine.ParseResult parsed) -> {
            ExitCode code = e instanceof JobException je ? je.exitCode() : ExitCode.BUG;
            String message = e instanceof JobException ? e.getMessage() : code.meaning() + ": " + e;
            failed.getErr().println(name(failed) + ": error: " + message);
            if (verbose) e.printStackTrace(failed.getErr());
            else if (code == ExitCode.BUG) failed.getErr().println(name(failed) + ": rerun with --verbose for the stack trace");
            failed.getErr().flush();
            return code.code();
        });
        return cli;
    }

    private static String name(CommandLine cli) {
        return cli.getCommandSpec().qualifiedName();
    }
}
