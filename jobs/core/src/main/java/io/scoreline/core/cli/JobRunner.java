package io.scoreline.core.cli;

import io.scoreline.core.error.ExitCode;
import io.scoreline.core.error.JobException;
import io.scoreline.core.alert.Alert;
import io.scoreline.core.alert.WebhookAlerts;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The edge of every job: parses arguments, maps every failure to one exit code and one line on stderr
 * (a stack trace only with --verbose). Business code throws {@link JobException}; nothing else exits.
 * A job that exits non-zero also posts one alert to --alert-webhook, when one is given.
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
        Failure failure = new Failure();
        CommandLine cli = commandLine(command.get(), env, verbose, failure);
        if (out != null) cli.setOut(out);
        if (err != null) cli.setErr(err);
        int code = cli.execute(args);
        if (code != 0) alert(failure.command != null ? failure.command : deepest(cli), code, failure.message, env, args);
        return code;
    }

    /** What the exception handlers saw, for the alert. */
    private static final class Failure {
        CommandLine command;
        String message;

        void set(CommandLine command, String message) {
            this.command = command;
            this.message = message;
        }
    }

    static CommandLine commandLine(Object command, Map<String, String> env, boolean verbose, Failure failure) {
        CommandLine cli = new CommandLine(command);
        cli.setHelpFactory(new ParamLabels());
        // 'fetch generate-completion' prints a bash/zsh completion script; hidden from the help's command list
        cli.addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        ExitCodeHelp.apply(cli);
        cli.setUsageHelpWidth(100); // fewer wrapped lines and no words broken at a dot ("optionally .gz")
        cli.setDefaultValueProvider(new EnvDefaults(env));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(parsed -> {
            // looked up now, not when this class loaded: slf4j-simple fixes a logger's level when it makes it, before
            // run() had turned --verbose into a level, and the settings line never showed
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JobRunner.class);
            if (log.isDebugEnabled()) log.debug("settings: {}", Settings.describe(parsed, env));
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            CommandLine failed = e.getCommandLine();
            String message = userMessage(e, a);
            failure.set(failed, message);
            failed.getErr().println(name(failed) + ": " + message
                + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((Exception e, CommandLine failed, CommandLine.ParseResult parsed) -> {
            ExitCode code = e instanceof JobException je ? je.exitCode() : ExitCode.BUG;
            // a bug's own text is the code's, not the user's (class names, parser internals): --verbose shows it
            String message = e instanceof JobException ? e.getMessage() : code.meaning();
            failure.set(failed, message);
            failed.getErr().println(name(failed) + ": error: " + message);
            if (verbose) e.printStackTrace(failed.getErr());
            failed.getErr().flush();
            return code.code();
        });
        return cli;
    }

    /**
     * A bad value that came from a variable, not the command line, names the variable: that is where to fix it.
     * A mistyped subcommand or option gets picocli's suggestions on the same line.
     */
    private static String userMessage(ParameterException e, String[] args) {
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return e.getMessage() + "; did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?";
        }
        if (!(e.getArgSpec() instanceof OptionSpec option)) return e.getMessage();
        for (String name : option.names()) {
            if (written(name, args) != null || Arrays.asList(args).contains(name)) return e.getMessage();
        }
        String quoted = "'" + option.longestName() + "'";
        String variable = EnvDefaults.variableFor(option.command().name(), option.longestName());
        return e.getMessage().replace(quoted, quoted + " (from " + variable + ")");
    }

    /** Posts one alert when --alert-webhook (or SCORELINE_ALERT_WEBHOOK) is set; a failed post is one line, never the URL. */
    private static void alert(CommandLine failed, int code, String message, Map<String, String> env, String[] args) {
        Object url = value(failed, "--alert-webhook", env, args);
        if (url == null) return;
        Object runId = value(failed, "--run-id", env, args);
        ExitCode exit = ExitCode.of(code);
        var alert = new Alert(name(failed), runId == null ? null : runId.toString(), code,
            exit.code() == code ? exit.meaning() : "exit code " + code, exit.retried(), message == null ? "see the job's log" : message);
        new WebhookAlerts(WebhookAlerts.DEFAULT_TIMEOUT).send(url.toString(), alert).ifPresent(problem -> {
            failed.getErr().println(name(failed) + ": alert not sent to --alert-webhook: " + problem);
            failed.getErr().flush();
        });
    }

    /**
     * An option's value after parsing, else as written on the command line (a usage error stops parsing before the
     * options that follow it), else its environment variable.
     */
    private static Object value(CommandLine cli, String option, Map<String, String> env, String[] args) {
        OptionSpec spec = cli.getCommandSpec().findOption(option);
        Object value = spec == null ? null : spec.getValue();
        if (value == null) value = written(option, args);
        if (value == null) value = env.get(EnvDefaults.variableFor(option));
        return value == null || value.toString().isBlank() ? null : value;
    }

    private static String written(String option, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option) && i + 1 < args.length) return args[i + 1];
            if (args[i].startsWith(option + "=")) return args[i].substring(option.length() + 1);
        }
        return null;
    }

    private static CommandLine deepest(CommandLine cli) {
        CommandLine.ParseResult parsed = cli.getParseResult();
        if (parsed == null) return cli;
        while (parsed.hasSubcommand()) parsed = parsed.subcommand();
        return parsed.commandSpec().commandLine();
    }

    private static String name(CommandLine cli) {
        return cli.getCommandSpec().qualifiedName();
    }
}
