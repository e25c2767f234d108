package io.scoreline.predict;

import io.scoreline.model.ModelRegistry;
import picocli.CommandLine.Option;

/** Which model to score with. */
final class ModelOptions {
    @Option(names = "--model", defaultValue = "default", description = "Model name in the store. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--alias", defaultValue = "production",
            description = "Alias naming the version to use, unless --model-version is given. Default: ${DEFAULT-VALUE}.")
    String alias;

    @Option(names = "--model-version", paramLabel = "VERSION", description = "Score with this exact version instead of the alias.")
    String version;

    @Option(names = "--max-model-bytes", paramLabel = "BYTES", defaultValue = "" + ModelRegistry.DEFAULT_MAX_BYTES,
            description = "Refuse model files larger than this (they are held in memory). Default: ${DEFAULT-VALUE}.")
    long maxBytes;
}
