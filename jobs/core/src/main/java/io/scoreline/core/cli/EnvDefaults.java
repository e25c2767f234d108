package io.scoreline.core.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option can also come from the environment. Settings every job shares (store, S3 and Elasticsearch
 * connection, run id, alert webhook, verbose) keep one name, {@code --es-url} reads {@code SCORELINE_ES_URL};
 * an option particular to one command carries that command, {@code register --alias} reads
 * {@code SCORELINE_REGISTER_ALIAS}, so a variable exported for one job never changes what another job does.
 * Picocli gives a flag precedence over this provider, and this provider over the annotation default,
 * so "flag > env > default" is implemented here once for all jobs.
 */
public final class EnvDefaults implements IDefaultValueProvider {
    /** Options with these names, or starting with a prefix ending in '-', mean the same in every command. */
    private static final List<String> SHARED = List.of("--store", "--s3-", "--es-", "--run-id", "--alert-webhook", "--verbose",
        "--progress-interval");

    private final Map<String, String> env;

    public EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    /** The variable of an option of the named command: SCORELINE_STORE, or SCORELINE_REGISTER_ALIAS. */
    public static String variableFor(String command, String longName) {
        return shared(longName) ? variableFor(longName) : variableFor("--" + command + "-" + bare(longName));
    }

    /** The variable of a shared option, e.g. SCORELINE_ALERT_WEBHOOK. */
    public static String variableFor(String longName) {
        return "SCORELINE_" + bare(longName).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static boolean shared(String longName) {
        return SHARED.stream().anyMatch(s -> s.endsWith("-") ? longName.startsWith(s) : longName.equals(s));
    }

    private static String bare(String longName) {
        return longName.replaceFirst("^-+", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) return null;
        String value = env.get(variableFor(option.command().name(), option.longestName()));
        return value == null || value.isEmpty() ? null : value;
    }
}
