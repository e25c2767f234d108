package io.scoreline.core.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** What --verbose logs before a job starts: every setting and where it came from, secrets only as set. */
class SettingsTest {
    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--color", defaultValue = "blue") String color;
        @Option(names = "--size") int size;
        @Option(names = "--es-api-key") String apiKey;
    }

    @Test
    void listsEachSettingWithItsSourceAndHidesSecrets() {
        Map<String, String> env = Map.of("SCORELINE_PROBE_SIZE", "7", "SCORELINE_ES_API_KEY", "s3cr3t-value");
        CommandLine cli = new CommandLine(new Probe()).setDefaultValueProvider(new EnvDefaults(env));
        String line = Settings.describe(cli.parseArgs("--color", "red"), env);
        assertTrue(line.contains("--color=red (flag)"), line);
        assertTrue(line.contains("--size=7 (SCORELINE_PROBE_SIZE)"), line);
        assertTrue(line.contains("--es-api-key=(set) (SCORELINE_ES_API_KEY)"), line);
        assertFalse(line.contains("s3cr3t"), line);
    }
}
