package io.scoreline.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The settings a job runs with and where each came from, for --verbose; secrets are shown as set, never their value. */
final class Settings {
    private static final Pattern SECRET = Pattern.compile("key|password|token|webhook|secret", Pattern.CASE_INSENSITIVE);

    private Settings() {}

    static String describe(ParseResult parsed, Map<String, String> env) {
        while (parsed.hasSubcommand()) parsed = parsed.subcommand();
        String command = parsed.commandSpec().name();
        List<String> out = new ArrayList<>();
        for (OptionSpec option : parsed.commandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            String name = option.longestName();
            Object value = option.getValue();
            String variable = EnvDefaults.variableFor(command, name);
            String source = parsed.hasMatchedOption(option) ? "flag"
                : env.get(variable) != null && !env.get(variable).isEmpty() ? variable : "default";
            String shown = value == null ? "(none)" : SECRET.matcher(name).find() ? "(set)" : describe(value);
            out.add(name + "=" + shown + " (" + source + ")");
        }
        return String.join(", ", out);
    }

    private static String describe(Object value) {
        return value instanceof Object[] array ? String.join(",", java.util.Arrays.stream(array).map(String::valueOf).toList())
            : String.valueOf(value);
    }
}
