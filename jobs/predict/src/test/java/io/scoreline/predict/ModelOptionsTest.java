package io.scoreline.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoreline.core.cli.ModelOptions;
import io.scoreline.model.ModelRegistry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The model options predict and serve share: their size limit is the registry's own unless a user sets one. */
class ModelOptionsTest {
    @Test
    void theDefaultSizeLimitIsTheRegistrysAndUnitsAreRead() {
        var options = new ModelOptions();
        new CommandLine(options).parseArgs();
        assertEquals(ModelRegistry.DEFAULT_MAX_BYTES, options.maxBytes());
        assertEquals("production", options.alias());
        new CommandLine(options).parseArgs("--max-model-bytes", "64MiB", "--model-version", "v2");
        assertEquals(64L << 20, options.maxBytes());
        assertEquals("v2", options.version());
    }
}
