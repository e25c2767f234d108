package io.scoreline.core.cli;

import java.util.Map;
import java.util.Locale;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option can also come from the environment: {@code --es-url} reads {@code SCORELINE_ES_URL}.
 * Picocli gives a flag precedence over this provider, and this provider over the annotation default,
 * so "flag > env > default" is implemented here once for all jobs.
 */
public final class EnvDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;

    public EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    public static String variableFor(String longName) {
        String bare = longName.replaceFirst("^-+", "");
        return "SCORELINE_" + bare.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) return null;
        String value = env.get(variableFor(option.longestName()));
        return value == null || value.isEmpty() ? null : value;
    }
}
