package io.scoreline.core.cli;

import picocli.CommandLine.Option;

/** Which model version a command scores with, and how large a model it accepts (predict and serve). */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME", defaultValue = "default", description = "Model name in the store. Default: ${DEFAULT-VALUE}.")
    private String name;

    @Option(names = "--alias", defaultValue = "production",
            description = "Alias naming the version to use, unless --model-version is given. Default: ${DEFAULT-VALUE}.")
    private String alias;

    @Option(names = "--model-version", paramLabel = "VERSION", description = "Use this exact version instead of the alias.")
    private String version;

    @Option(names = "--max-model-bytes", paramLabel = "SIZE", defaultValue = "512MiB", converter = Converters.SizeConverter.class,
            description = "Refuse model files larger than this (they are held in memory). Default: ${DEFAULT-VALUE}.")
    private long maxBytes;

    public String name() {
        return name;
    }

    public String alias() {
        return alias;
    }

    /** The exact version asked for, or null to follow the alias. */
    public String version() {
        return version;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
